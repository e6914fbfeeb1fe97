package dev.agentry.scheduler.schedule;

import dev.agentry.events.codec.MessageCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The due-schedule loop, on unless {@code agentry.scheduler.schedules.enabled} is false. The topic
 * {@code agentry.schedule.firings} is declared by the API with the other topics it consumes, not here: a scheduler
 * started while Kafka is away would otherwise hold its start-up for the admin client's timeout.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "agentry.scheduler.schedules.enabled", matchIfMissing = true)
class ScheduleConfiguration {

    @Bean
    ScheduleCursors scheduleCursors(JdbcClient jdbc, JdbcTemplate batch) {
        return new ScheduleCursors(jdbc, batch);
    }

    @Bean
    ScheduleFirer scheduleFirer(
            ScheduleCursors cursors,
            KafkaTemplate<String, byte[]> kafka,
            MessageCodec codec,
            PlatformTransactionManager transactionManager,
            ScheduleProperties settings,
            Clock clock,
            MeterRegistry meters) {
        return new ScheduleFirer(
                cursors,
                new FiringPublisher(kafka, codec, clock),
                new TransactionTemplate(transactionManager),
                settings,
                clock,
                meters);
    }

    @Bean
    ScheduleFiringLoop scheduleFiringLoop(
            ScheduleFirer firer, ScheduleCursors cursors, ScheduleProperties settings, Clock clock) {
        return new ScheduleFiringLoop(
                firer, cursors, settings.pollInterval(), settings.lookahead(), settings.threads(), clock);
    }
}

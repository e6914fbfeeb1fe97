package dev.agentry.api.task;

import dev.agentry.api.support.DeadLetters;
import dev.agentry.api.support.PoisonRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
class ProjectionConfig {

    /**
     * The error handler of the API's batch listeners (Boot gives the one {@code CommonErrorHandler} bean to the
     * listener container factory). A batch that fails (PostgreSQL down, a deadlock) is retried with growing pauses
     * and never skipped: events are the truth the read model is built from. A record the listener names as the
     * cause ({@link PoisonRecords}) is retried {@code max-attempts} times in all, then set aside as a dead letter,
     * and the partition moves on past it.
     */
    @Bean
    DefaultErrorHandler projectionErrorHandler(
            DeadLetters deadLetters,
            @Value("${agentry.api.poison.max-attempts:3}") int maxAttempts,
            @Value("${agentry.api.poison.retry-interval:500ms}") java.time.Duration retryInterval) {
        ExponentialBackOff batchBackOff = new ExponentialBackOff(200, 2.0);
        batchBackOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> {
                    @SuppressWarnings("unchecked")
                    ConsumerRecord<String, byte[]> poison = (ConsumerRecord<String, byte[]>) record;
                    deadLetters.setAside(DeadLetters.fromRecord("consumer", poison, reason(failure), maxAttempts));
                },
                batchBackOff);
        handler.setBackOffFunction(
                (record, failure) -> new FixedBackOff(retryInterval.toMillis(), Math.max(0, maxAttempts - 1)));
        return handler;
    }

    /** The innermost cause says what was wrong with the record (a constraint it broke, a value it cannot hold). */
    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}

package dev.agentry.api.task;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class ProjectionConfig {

    /**
     * A batch that fails (PostgreSQL down, a deadlock) is retried with growing pauses and never skipped: events
     * are the truth the read model is built from. Undecodable records never reach here; the listener skips them.
     */
    @Bean
    DefaultErrorHandler projectionErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return new DefaultErrorHandler(backOff);
    }
}

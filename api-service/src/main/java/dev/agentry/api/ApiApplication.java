package dev.agentry.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The API service: HTTP in, outbox to Kafka out, events from Kafka projected into PostgreSQL. */
// JobRunr belongs to the scheduler; in the one-process platform its starter is on this class path too.
@SpringBootApplication(
        excludeName = {
            "org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration",
            "org.jobrunr.spring.autoconfigure.storage.JobRunrSqlStorageAutoConfiguration",
            "org.jobrunr.spring.autoconfigure.storage.JobRunrInMemoryStorageAutoConfiguration",
            "org.jobrunr.spring.autoconfigure.storage.JobRunrMongoDBStorageAutoConfiguration",
            "org.jobrunr.spring.autoconfigure.storage.JobRunrDocumentDBStorageAutoConfiguration",
            "org.jobrunr.spring.autoconfigure.metrics.JobRunrMetricsAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class ApiApplication {

    /** The API reads {@code api.yml}, so it can share a JVM (the local platform) with the other services. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=api");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}

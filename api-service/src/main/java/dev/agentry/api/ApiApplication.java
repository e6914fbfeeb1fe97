package dev.agentry.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The API service: HTTP in, outbox to Kafka out, events from Kafka projected into PostgreSQL. */
@SpringBootApplication
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

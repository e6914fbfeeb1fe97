package dev.agentry.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The worker service. Its configuration file is {@code worker.yml} ({@code spring.config.name=worker}), so it can
 * share a JVM with the other services (the local platform) without reading their {@code application.yml}.
 */
@SpringBootApplication
public class WorkerApplication {

    /** The builder to start a worker with, in its own JVM or inside another application's. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=worker");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}

package dev.agentry.scheduler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the scheduler. It reads {@code scheduler.yml} (not {@code application.yml}) so that it can share one JVM
 * with the API and the worker, each with its own configuration.
 *
 * <p>The excluded auto-configurations belong to other modules that share the classpath in the one-process local
 * platform: Flyway (the API owns the schema; running it here would race the API's migration), Spring Security and
 * the OAuth2 resource server (the API's authentication; this service serves only Actuator and the JobRunr dashboard
 * on its own port), and springdoc (the API's OpenAPI document). Names, not classes, because those jars are not on
 * this module's own classpath.
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayEndpointAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration",
            "org.springdoc.core.configuration.SpringDocConfiguration",
            "org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration",
            "org.springdoc.webmvc.core.configuration.MultipleOpenApiSupportConfiguration",
            "org.springdoc.webmvc.ui.SwaggerConfig"
        })
@ConfigurationPropertiesScan
public class SchedulerApplication {

    /** The configuration file's base name: {@code scheduler.yml}, {@code scheduler-<profile>.yml}. */
    public static final String CONFIG_NAME = "scheduler";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The builder to start the scheduler with, also from another process's {@code main} (the local platform). Pass
     * per-instance settings as arguments of {@code run("--spring.kafka.bootstrap-servers=...")}: those override
     * {@code scheduler.yml}, while {@link SpringApplicationBuilder#properties} would not.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(SchedulerApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}

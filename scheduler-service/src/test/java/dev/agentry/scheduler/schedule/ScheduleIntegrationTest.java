package dev.agentry.scheduler.schedule;

import dev.agentry.scheduler.SchedulerApplication;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A scheduler on a database migrated by the API's real Flyway migrations (so the view and the cursor table are the
 * production ones) and the embedded Kafka broker, with a clock the tests move by hand. The loop looks every 50 ms
 * and claims small batches, so that two loops interleave.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.NONE,
        properties = {
            "spring.config.name=" + SchedulerApplication.CONFIG_NAME,
            "agentry.scheduler.reaper.interval=1h",
            "agentry.scheduler.schedules.poll-interval=50ms",
            "agentry.scheduler.schedules.batch-size=25",
            "jobrunr.dashboard.enabled=false"
        })
@Import(TestClockConfiguration.class)
abstract class ScheduleIntegrationTest {

    static final TestDatabase.Database DATABASE = TestDatabase.create();
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-07T08:00:00Z"));

    static {
        Flyway.configure()
                .dataSource(DATABASE.url(), DATABASE.username(), DATABASE.password())
                .locations("filesystem:../api-service/src/main/resources/db/migration")
                .load()
                .migrate();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::url);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    }
}

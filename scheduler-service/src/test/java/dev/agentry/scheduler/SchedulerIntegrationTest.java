package dev.agentry.scheduler;

import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One scheduler on a real PostgreSQL (with the API's real schema, {@link ApiSchema}) and the embedded Kafka broker, shared by
 * every test class that extends this one. The reaper's schedule is an hour so that only the tests trigger it.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + SchedulerApplication.CONFIG_NAME,
            "agentry.scheduler.reaper.interval=1h",
            "agentry.scheduler.reaper.stale-after=5m",
            "agentry.scheduler.reaper.timeout-margin=2m",
            "jobrunr.background-job-server.poll-interval-in-seconds=5",
            // The fixture has no conversations; the schedule tests run on the real migrations instead.
            "agentry.scheduler.schedules.enabled=false"
        })
public abstract class SchedulerIntegrationTest {

    protected static final TestDatabase.Database DATABASE = TestDatabase.create();
    protected static final int DASHBOARD_PORT = freePort();
    protected static final String DASHBOARD_USER = "operator";
    protected static final String DASHBOARD_PASSWORD = "dashboard-test-password";

    static {
        ApiSchema.migrate(DATABASE);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::url);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("jobrunr.dashboard.port", () -> DASHBOARD_PORT);
        registry.add("jobrunr.dashboard.username", () -> DASHBOARD_USER);
        registry.add("jobrunr.dashboard.password", () -> DASHBOARD_PASSWORD);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

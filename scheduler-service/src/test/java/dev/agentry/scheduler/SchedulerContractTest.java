package dev.agentry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.testkit.TestDatabase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The scheduler reads the API's tables only through the views of API migration V8. These are their documented column
 * sets (scheduler-service/README.md); a migration that changes one fails here, in the scheduler's build.
 */
class SchedulerContractTest {

    static JdbcClient jdbc;

    @BeforeAll
    static void migrate() {
        TestDatabase.Database database = TestDatabase.create();
        ApiSchema.migrate(database);
        jdbc = JdbcClient.create(new DriverManagerDataSource(database.url(), database.username(), database.password()));
    }

    @Test
    void schedulerTasksHasTheDocumentedColumns() {
        assertThat(columns("scheduler_tasks"))
                .containsExactly(
                        "id uuid",
                        "tenant_id text",
                        "status text",
                        "iteration integer",
                        "worker_id text",
                        "timeout_seconds integer",
                        "started_at timestamp with time zone",
                        "iteration_started_at timestamp with time zone",
                        "last_heartbeat_at timestamp with time zone",
                        "updated_at timestamp with time zone",
                        "admitted_at timestamp with time zone",
                        "created_at timestamp with time zone",
                        "callback_url text",
                        "trace_id text",
                        "result text",
                        "usage jsonb",
                        "changes_summary jsonb",
                        "webhook_events ARRAY");
    }

    @Test
    void schedulerWebhookSubscriptionsHasTheDocumentedColumns() {
        assertThat(columns("scheduler_webhook_subscriptions"))
                .containsExactly("tenant_id text", "event_types ARRAY", "url text");
    }

    @Test
    void theCurrentIterationsStartIsTheOneThatCounts() {
        jdbc.sql("insert into tenants (id, name) values ('t', 't')").update();
        jdbc.sql("""
                        insert into tasks (id, tenant_id, status, repo_url, prompt, current_prompt, config, runtime,
                                           timeout_seconds, iteration, created_at, updated_at, started_at)
                        values ('00000000-0000-0000-0000-000000000001', 't', 'running', 'https://example.com/r.git',
                                'p', 'p', '{}'::jsonb, 'echo', 60, 2, now(), now(), '2026-01-01T00:00:00Z')""").update();
        jdbc.sql("""
                        insert into task_iterations (task_id, number, tenant_id, prompt, status, created_at, started_at)
                        values ('00000000-0000-0000-0000-000000000001', 2, 't', 'p', 'running', now(),
                                '2026-01-02T00:00:00Z')""").update();

        List<Instant> starts = jdbc.sql("""
                        select started_at, iteration_started_at
                          from scheduler_tasks where id = '00000000-0000-0000-0000-000000000001'""")
                .query((rs, n) -> List.of(
                        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("iteration_started_at", OffsetDateTime.class)
                                .toInstant()))
                .single();

        assertThat(starts)
                .containsExactly(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
    }

    private static List<String> columns(String view) {
        return jdbc.sql("""
                        select column_name || ' ' || data_type from information_schema.columns
                         where table_schema = 'public' and table_name = ? order by ordinal_position""").param(view).query(String.class).list();
    }
}

package dev.agentry.scheduler.webhook;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the scheduler remembers of callback endpoints: the ones given up ({@code webhook_gone_endpoints}) and the runs
 * of failures that give one up ({@code webhook_endpoint_failures}, API migration V7). The scheduler writes both.
 */
class Endpoints {

    private final JdbcClient jdbc;

    Endpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A tenant's callback URL; 410 Gone is remembered per endpoint. */
    record Endpoint(String tenantId, String url) {}

    /** An endpoint given up at {@code at}: it answered 410 Gone ({@code reason} null), or kept failing. */
    record GoneEndpoint(Instant at, @Nullable String reason) {

        /** Whether a delivery of a task created at {@code taskCreatedAt} is given up with it. */
        boolean covers(Instant taskCreatedAt) {
            return taskCreatedAt.isBefore(at);
        }

        /** The recorded error of a delivery not sent because of it. */
        String notSent() {
            return "Not sent: the endpoint was given up at " + at + ": "
                    + (reason == null ? "it answered 410 Gone" : reason) + ".";
        }
    }

    /** Which of these endpoints were given up, when and why. */
    Map<Endpoint, GoneEndpoint> gone(Collection<Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return Map.of();
        }
        Map<Endpoint, GoneEndpoint> gone = new HashMap<>();
        jdbc.sql("""
                        select g.tenant_id, g.url, g.gone_at, g.reason
                          from webhook_gone_endpoints g
                          join unnest(?::text[], ?::text[]) as e(tenant_id, url)
                            on g.tenant_id = e.tenant_id and g.url = e.url""")
                .params(
                        endpoints.stream().map(Endpoint::tenantId).toArray(String[]::new),
                        endpoints.stream().map(Endpoint::url).toArray(String[]::new))
                .query((RowCallbackHandler) rs -> gone.put(
                        new Endpoint(rs.getString("tenant_id"), rs.getString("url")),
                        new GoneEndpoint(Sql.instant(rs, "gone_at"), rs.getString("reason"))));
        return gone;
    }

    /** Gives the endpoint up from {@code at}: it answered 410 Gone ({@code reason} null), or kept failing. */
    void markGone(String tenantId, String url, Instant at, @Nullable String reason) {
        jdbc.sql("""
                        insert into webhook_gone_endpoints (tenant_id, url, gone_at, reason) values (?, ?, ?, ?)
                        on conflict (tenant_id, url) do update set gone_at = excluded.gone_at, reason = excluded.reason""").params(tenantId, url, Sql.utc(at), reason).update();
    }

    /**
     * Notes a failed attempt to the endpoint and answers since when its attempts have all failed ({@code at}, unless
     * an earlier failure with no success since came first). A successful attempt clears it (see
     * {@link Deliveries#record}).
     */
    Instant failingSince(String tenantId, String url, Instant at) {
        return jdbc.sql("""
                        insert into webhook_endpoint_failures (tenant_id, url, failing_since) values (?, ?, ?)
                        on conflict (tenant_id, url)
                        do update set failing_since = webhook_endpoint_failures.failing_since
                        returning failing_since""")
                .params(tenantId, url, Sql.utc(at))
                .query((rs, n) -> Sql.instant(rs, "failing_since"))
                .single();
    }
}

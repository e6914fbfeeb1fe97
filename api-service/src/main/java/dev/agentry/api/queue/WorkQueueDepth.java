package dev.agentry.api.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The depth of the workers' queue, {@code agentry.queue.depth{work, state}}: the work the worker fleet should be
 * holding. Kafka share groups have no consumer lag that KEDA's Kafka scaler could read, so the workers scale on this
 * gauge instead (deploy/kubernetes, KEDA's Prometheus scaler).
 *
 * <ul>
 *   <li>{@code work=task, state=waiting}: tasks admitted (their command is in the outbox or on Kafka) and not yet
 *       started. Tasks held back by their tenant's running-tasks limit are not counted: no worker can take them.
 *   <li>{@code work=task, state=running}: tasks a worker holds (cloning, running, creating a pull request).
 *   <li>{@code work=turn, state=waiting|running}: conversation turns queued or running.
 * </ul>
 *
 * <p>Read with one count query at most every {@code agentry.api.queue-depth.refresh}, however often {@code /metrics}
 * is scraped; every API instance reports the same figures, so queries take {@code max} across instances. While the
 * database does not answer, the gauges keep their last values.
 */
@Component
class WorkQueueDepth implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(WorkQueueDepth.class);

    static final String METER = "agentry.queue.depth";

    private static final String COUNTS = """
            -- the predicates of the partial indexes tasks_admitted_unfinished and conversation_turns_in_flight
            select 'task' as work,
                   case when status = 'pending' then 'waiting' else 'running' end as state,
                   count(*) as depth
              from tasks
             where admitted_at is not null and status in ('pending', 'cloning', 'running', 'creating_pr')
             group by 1, 2
            union all
            select 'turn', case when status = 'queued' then 'waiting' else 'running' end, count(*)
              from conversation_turns
             where status in ('queued', 'running')
             group by 1, 2""";

    private record Key(String work, String state) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration refresh;
    private Instant readAt = Instant.MIN;
    private Map<Key, Long> depths = Map.of();

    @Autowired
    WorkQueueDepth(JdbcClient jdbc, @Value("${agentry.api.queue-depth.refresh:5s}") Duration refresh) {
        this(jdbc, Clock.systemUTC(), refresh);
    }

    WorkQueueDepth(JdbcClient jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String work : new String[] {"task", "turn"}) {
            for (String state : new String[] {"waiting", "running"}) {
                Key key = new Key(work, state);
                Gauge.builder(METER, this, depth -> depth.current().getOrDefault(key, 0L))
                        .description("Work for the workers: admitted and not started (waiting), or held by one")
                        .tags("work", work, "state", state)
                        .register(registry);
            }
        }
    }

    private synchronized Map<Key, Long> current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(refresh) < 0) {
            return depths;
        }
        try {
            depths = jdbc
                    .sql(COUNTS)
                    .query((rs, n) ->
                            Map.entry(new Key(rs.getString("work"), rs.getString("state")), rs.getLong("depth")))
                    .list()
                    .stream()
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
            readAt = now;
        } catch (RuntimeException e) {
            log.debug("Could not read the work queue's depth; the gauges keep their last values.", e);
        }
        return depths;
    }
}

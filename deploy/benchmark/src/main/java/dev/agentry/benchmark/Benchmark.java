package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Load generator for a running platform (loopback only).
 *
 * <pre>
 * submit --rate 200 --duration 30s [--warmup 5s] [--max-in-flight 2000]
 * e2e --tasks 5000 --concurrency 64 [--poll-interval 50ms] [--task-timeout 60s] [--max-time 10m]
 * rss --pid N [--data-dir .agentry-data] [--samples 1] [--interval 1s]
 * streams --streams 2000 --tasks 100 [--lines 100] [--interval 100ms] [--settle 10s] [--max-time 5m]
 * missions --rate 50 --duration 30s [--warmup 5s] [--max-in-flight 500]
 * webhooks --tasks 2000 --concurrency 32 [--reply-delay 100ms] [--max-time 5m]
 * webhook-pipeline --tasks 20000 --rate 600 [--kafka localhost:9092] [--reply-delay 100ms] [--max-time 10m]
 * schedules --conversations 10000 --minutes 3 [--jdbc-url jdbc:postgresql://localhost:5433/agentry] [--kafka ...]
 * common: --url http://localhost:8080  --token T (else AGENTRY_TOKEN, else the local platform's token file)
 * </pre>
 */
public final class Benchmark {

    private static final String USAGE = """
            usage: benchmark <command> [options]

              submit   fixed-rate POST /api/v1/tasks (echo tasks); latency from each request's due time
                       --rate 200  --duration 30s  --warmup 0s  --max-in-flight 2000
              e2e      submit echo tasks and poll each to a terminal state; tasks/s and submit-to-terminal latency
                       --tasks 5000  --concurrency 64  --poll-interval 50ms  --task-timeout 60s  --max-time 10m
              missions fixed-rate POST /api/v1/execute on an echo profile (seed 002's API overhead: the echo
                       runtime does no work, so a mission's latency is the platform's); latency from due time
                       --rate 50  --duration 30s  --warmup 0s  --max-in-flight 500
              streams  concurrent SSE streams on command tasks printing a line per interval; fan-out latency
                       --streams 2000  --tasks 100  --lines 100  --interval 100ms  --settle 10s  --max-time 5m
                       (the workers must run the command runtime as sh -c {prompt}; see the README)
              webhooks echo tasks with a callback to a local receiver that answers after --reply-delay;
                       terminal event to receipt latency and deliveries/s
                       --tasks 2000  --concurrency 32  --reply-delay 100ms  --max-time 5m
                       (the scheduler must allow 127.0.0.0/8 and have agentry.secrets.sealing-keys)
              webhook-pipeline
                       delivery alone: creates tasks with a callback, then publishes their task.completed events
                       to Kafka at --rate/s as workers would; event to receipt latency and deliveries/s
                       --tasks 20000  --rate 600  --concurrency 32  --kafka localhost:9092  --reply-delay 100ms
                       --max-time 10m  (run the platform without a worker: AGENTRY_SERVICES=api,scheduler)
              schedules
                       conversations with the cron * * * * * inserted into the platform's database; firing lag
                       (scheduled instant to the record on agentry.schedule.firings), duplicates and misses
                       --conversations 10000  --minutes 3  --jdbc-url jdbc:postgresql://localhost:5433/agentry
                       --db-user postgres  --db-password ''  --kafka localhost:9092
              rss      memory of a running platform process
                       --pid N  --data-dir DIR (adds the embedded PostgreSQL)  --samples 1  --interval 1s

              --url      the API (default http://localhost:8080; loopback addresses only)
              --token    bearer token; default: AGENTRY_TOKEN, else ${AGENTRY_DATA_DIR:-.agentry-data}/secrets/bootstrap-token
              --timeout  per-request timeout (default 30s)
            """;

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            System.exit(run(Arrays.asList(args), System.getenv(), out));
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    /** Runs one command and returns the process exit code: 0 when every request succeeded. */
    static int run(List<String> args, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        if (args.isEmpty()
                || args.getFirst().equals("--help")
                || args.getFirst().equals("-h")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.getFirst();
        Arguments options = new Arguments(args.subList(1, args.size()));
        return switch (command) {
            case "submit" -> submit(options, env, out);
            case "e2e" -> endToEnd(options, env, out);
            case "rss" -> rss(options, env, out);
            case "missions" -> missions(options, env, out);
            case "streams" -> streams(options, env, out);
            case "webhooks" -> webhooks(options, env, out);
            case "webhook-pipeline" -> webhookPipeline(options, env, out);
            case "schedules" -> SchedulesBenchmark.run(options, env, out);
            default -> throw new IllegalArgumentException("Unknown command " + command);
        };
    }

    private static int submit(Arguments options, Map<String, String> env, PrintStream out) throws InterruptedException {
        TasksClient client = client(options, env);
        SubmitBenchmark benchmark = new SubmitBenchmark(
                client,
                options.integer("rate", 200),
                options.duration("duration", Duration.ofSeconds(30)),
                options.durationOrZero("warmup"),
                options.integer("max-in-flight", 2000));
        options.rejectUnknown();
        SubmitBenchmark.Result result = benchmark.run(out);
        out.printf(
                "submitted %d in %s: %d accepted (201), %d errors %s, %d failed requests%n",
                result.planned(),
                seconds(result.elapsed()),
                result.accepted(),
                result.errors(),
                result.statusCounts(),
                result.failures());
        out.printf(
                "achieved %.1f req/s; worst send lag %s%n",
                result.planned() / secondsOf(result.elapsed()), Latencies.Summary.millis(result.maxSendLag()));
        out.println("latency (201 only, from due time): " + result.latencies().describe());
        return result.errors() == 0 ? 0 : 1;
    }

    private static int missions(Arguments options, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        MissionsBenchmark benchmark = new MissionsBenchmark(client(options, env));
        int rate = options.integer("rate", 50);
        Duration duration = options.duration("duration", Duration.ofSeconds(30));
        Duration warmup = options.durationOrZero("warmup");
        int maxInFlight = options.integer("max-in-flight", 500);
        options.rejectUnknown();
        SubmitBenchmark.Result result = benchmark.run(rate, duration, warmup, maxInFlight, out);
        out.printf(
                "executed %d missions in %s: %d completed, by outcome %s, %d failed requests%n",
                result.planned(),
                seconds(result.elapsed()),
                result.accepted(),
                result.statusCounts(),
                result.failures());
        out.println("execute latency (completed only, from due time; all overhead): "
                + result.latencies().describe());
        return result.errors() == 0 ? 0 : 1;
    }

    private static int endToEnd(Arguments options, Map<String, String> env, PrintStream out) {
        TasksClient client = client(options, env);
        EndToEndBenchmark benchmark = new EndToEndBenchmark(
                client,
                options.integer("tasks", 5000),
                options.integer("concurrency", 64),
                options.duration("poll-interval", Duration.ofMillis(50)),
                options.duration("task-timeout", Duration.ofSeconds(60)),
                options.duration("max-time", Duration.ofMinutes(10)));
        options.rejectUnknown();
        EndToEndBenchmark.Result result = benchmark.run(out);
        out.printf(
                "%d of %d tasks finished in %s: %.1f tasks/s; by status %s%n",
                result.finished(),
                result.planned(),
                seconds(result.elapsed()),
                result.tasksPerSecond(),
                result.terminalCounts());
        out.printf(
                "submit errors %d, poll errors %d, timed out %d%s%n",
                result.submitErrors(),
                result.pollErrors(),
                result.timedOut(),
                result.deadlineReached() ? " (stopped at --max-time)" : "");
        out.println("submit to terminal: " + result.latencies().describe());
        boolean clean = result.finished() == result.planned()
                && result.terminalCounts().getOrDefault("completed", 0L) == result.planned();
        return clean ? 0 : 1;
    }

    private static int streams(Arguments options, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        TasksClient client = client(options, env);
        StreamsBenchmark benchmark = new StreamsBenchmark(
                client,
                options.integer("streams", 2000),
                options.integer("tasks", 100),
                options.integer("lines", 100),
                options.duration("interval", Duration.ofMillis(100)),
                options.duration("max-time", Duration.ofMinutes(5)),
                options.duration("settle", Duration.ofSeconds(10)));
        options.rejectUnknown();
        StreamsBenchmark.Result result = benchmark.run(out);
        out.printf(
                "%d streams opened, %d ended with done, in %s; API saw at most %d open streams, heap at most %d MB%n",
                result.opened(),
                result.completed(),
                seconds(result.elapsed()),
                result.maxConnections(),
                result.maxHeapBytes() / (1024 * 1024));
        out.println(result.events() + " live events; fan-out (worker ts to client): "
                + result.fanOut().describe());
        return result.completed() == result.opened() ? 0 : 1;
    }

    private static int webhooks(Arguments options, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        TasksClient client = client(options, env);
        WebhookBenchmark benchmark = new WebhookBenchmark(
                client,
                options.integer("tasks", 2000),
                options.integer("concurrency", 32),
                options.duration("reply-delay", Duration.ofMillis(100)),
                options.duration("max-time", Duration.ofMinutes(5)));
        options.rejectUnknown();
        WebhookBenchmark.Result result = benchmark.run(out);
        out.printf(
                "%d of %d accepted tasks delivered their webhook in %s (%d duplicates, %d submit errors)%n",
                result.received(),
                result.accepted(),
                seconds(result.elapsed()),
                result.duplicates(),
                result.submitErrors());
        out.printf("deliveries/s while receiving: %.1f%n", result.deliveriesPerSecond());
        out.println("terminal event to receipt: " + result.eventToReceipt().describe());
        return result.received() == result.accepted() && result.submitErrors() == 0 ? 0 : 1;
    }

    private static int webhookPipeline(Arguments options, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        TasksClient client = client(options, env);
        WebhookPipelineBenchmark benchmark = new WebhookPipelineBenchmark(
                client,
                options.string("kafka", env.getOrDefault("AGENTRY_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")),
                options.integer("tasks", 20000),
                options.integer("rate", 600),
                options.integer("concurrency", 32),
                options.duration("reply-delay", Duration.ofMillis(100)),
                options.duration("max-time", Duration.ofMinutes(10)));
        options.rejectUnknown();
        WebhookPipelineBenchmark.Result result = benchmark.run(out);
        out.printf(
                "%d tasks created (%d submit errors); %d events published at %.1f/s; %d delivered (%d duplicates)%n",
                result.tasks(),
                result.submitErrors(),
                result.published(),
                result.publishedPerSecond(),
                result.received(),
                result.duplicates());
        out.printf("deliveries/s while receiving: %.1f%n", result.deliveriesPerSecond());
        out.println("event to receipt: " + result.eventToReceipt().describe());
        return result.received() == result.published() && result.submitErrors() == 0 ? 0 : 1;
    }

    private static int rss(Arguments options, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException {
        String pid = options.string("pid");
        if (pid == null) {
            throw new IllegalArgumentException("rss needs --pid");
        }
        String dataDir = options.string("data-dir", env.getOrDefault("AGENTRY_DATA_DIR", ".agentry-data"));
        int samples = options.integer("samples", 1);
        Duration interval = options.duration("interval", Duration.ofSeconds(1));
        options.rejectUnknown();
        new RssProbe(Long.parseLong(pid), Optional.of(Path.of(dataDir))).run(samples, interval, out);
        return 0;
    }

    private static TasksClient client(Arguments options, Map<String, String> env) {
        URI url = URI.create(options.string("url", "http://localhost:8080"));
        Duration timeout = options.duration("timeout", Duration.ofSeconds(30));
        return new TasksClient(url, token(options.string("token"), env), timeout);
    }

    static String token(@Nullable String given, Map<String, String> env) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String fromEnv = env.get("AGENTRY_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path file = Path.of(env.getOrDefault("AGENTRY_DATA_DIR", ".agentry-data"), "secrets", "bootstrap-token");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not read the token file " + file, e);
        }
        throw new IllegalArgumentException("No token: pass --token, set AGENTRY_TOKEN, or run next to .agentry-data");
    }

    private static String seconds(Duration d) {
        return "%.1f s".formatted(secondsOf(d));
    }

    private static double secondsOf(Duration d) {
        return d.toNanos() / 1e9;
    }

    private Benchmark() {}
}

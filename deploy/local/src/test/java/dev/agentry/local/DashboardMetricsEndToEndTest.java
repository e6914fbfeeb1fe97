package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.secret.SecretSealer;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Agentry series the Grafana dashboard and the Prometheus alert rules read is one the running services really
 * export: the whole platform, one echo task (with a webhook) to its end, then each service's {@code /metrics}
 * scraped. {@code deploy/manifests-test}'s {@code MetricsInUseTest} checks the same names against the sources; this
 * one sees them on the wire, with their tags and histograms.
 */
class DashboardMetricsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern METRIC = Pattern.compile("agentry_[a-z_]+");
    private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void everySeriesTheDashboardAndTheAlertsReadIsScrapedFromAService() {
        Set<String> referenced = new TreeSet<>();
        dashboardExpressions().forEach(e -> referenced.addAll(families(e)));
        alertExpressions().forEach(e -> referenced.addAll(families(e)));
        assertThat(referenced)
                .as("the dashboard's and the alerts' metric families")
                .contains("agentry_worker_task_duration_seconds", "agentry_outbox_lag_seconds")
                .hasSizeGreaterThan(10);

        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        LocalSettings settings = LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-metrics-share-" + run)
                .withProperty("agentry.worker.worker-id", "e2e-metrics-worker-" + run)
                .withProperty("agentry.api.projector-group", "e2e-metrics-projector-" + run)
                .withProperty("agentry.scheduler.webhooks.consumer-group", "e2e-metrics-delivery-" + run)
                .withProperty("agentry.scheduler.webhooks.missing-task-wait", "0s")
                .withProperty("agentry.secrets.sealing-keys", SecretSealer.newSpec("k1"))
                .withProperty("agentry.scheduler.webhooks.allowed-networks", "127.0.0.0/8")
                .withProperty("agentry.scheduler.webhooks.sweep-interval", "200ms");
        try (WebhookReceiver receiver = WebhookReceiver.answering(Reply.ok());
                LocalPlatform platform = LocalPlatform.start(settings)) {
            PlatformClient client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
            assertThat(client.send("POST", "/api/v1/webhooks/secret/rotate", "").statusCode())
                    .isEqualTo(201);
            String taskId = client.submit("""
                    {"repo_url":"https://example.invalid/metrics.git","prompt":"hello metrics","config":{"cli":"echo"},
                     "callback_url":"%s"}""".formatted(receiver.url()));
            await().atMost(WAIT).until(() -> client.terminal(taskId));
            assertThat(client.status(taskId)).isEqualTo("completed");
            await().atMost(WAIT).until(() -> !receiver.received().isEmpty());

            Map<String, String> urls = Map.of(
                    "api", platform.apiUrl(), "worker", platform.workerUrl(), "scheduler", platform.schedulerUrl());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> scraped = new TreeSet<>();
                urls.values().forEach(url -> scraped.addAll(scrapedFamilies(url)));
                assertThat(referenced)
                        .as("families the dashboard or the alerts read, missing from every service's /metrics %s", urls)
                        .allSatisfy(family -> assertThat(scraped).contains(family));
            });
        }
    }

    /** The Agentry metric families one expression reads, without a histogram's or a timer's suffixes. */
    static Set<String> families(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher metric = METRIC.matcher(expression);
        while (metric.find()) {
            names.add(SUFFIX.matcher(metric.group()).replaceAll(""));
        }
        return names;
    }

    private Set<String> scrapedFamilies(String serviceUrl) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(serviceUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).as(serviceUrl + "/metrics").isEqualTo(200);
        Set<String> families = new TreeSet<>();
        response.body().lines().filter(line -> line.startsWith("agentry_")).forEach(line -> {
            int end = line.indexOf('{');
            String series = line.substring(0, end < 0 ? line.indexOf(' ') : end);
            families.add(SUFFIX.matcher(series).replaceAll(""));
        });
        return families;
    }

    private static List<String> dashboardExpressions() {
        JsonNode dashboard = JsonMapper.shared().readTree(read("deploy/observability/grafana/agentry.json"));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString());
            }
        }
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() {
        Map<String, Object> rules = new Yaml().load(read("deploy/observability/prometheus/alerts.yml"));
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add(String.valueOf(rule.get("expr")));
            }
        }
        return expressions;
    }

    /** A file of the repository, wherever Maven runs this module from. */
    private static String read(String path) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve(path))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    path + " is in no parent directory of " + Path.of("").toAbsolutePath());
        }
        try {
            return Files.readString(dir.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.agentry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * KEDA's trigger, the Grafana dashboard and the alert rules read only series the services export, as their sources
 * register them. deploy/local's {@code DashboardMetricsEndToEndTest} checks the same on the running platform's
 * {@code /metrics}.
 */
class MetricsInUseTest {

    private static final Set<String> EXPORTED = ExportedMetrics.names();

    @Test
    void theExportedNamesIncludeTheQueueDepthGauge() throws ReflectiveOperationException {
        var meter = Class.forName("dev.agentry.api.queue.WorkQueueDepth").getDeclaredField("METER");
        meter.setAccessible(true);
        String queueDepth = ExportedMetrics.prometheusName((String) meter.get(null));

        assertThat(queueDepth).isEqualTo("agentry_queue_depth");
        assertThat(EXPORTED)
                .contains(
                        queueDepth,
                        "agentry_outbox_backlog",
                        "agentry_worker_tasks_total",
                        "agentry_worker_task_duration_seconds_bucket",
                        "agentry_outbox_lag_seconds",
                        "agentry_webhook_attempts_seconds_count",
                        "agentry_webhook_backlog_oldest_seconds");
    }

    @Test
    void workersScaleFromZeroOnTheQueueDepthGauge() throws ReflectiveOperationException {
        List<io.fabric8.kubernetes.api.model.HasMetadata> base = Kustomizations.baseObjects();
        GenericKubernetesResource scaledObject =
                KubernetesObjects.ofKind(base, GenericKubernetesResource.class).stream()
                        .filter(o -> o.getKind().equals("ScaledObject"))
                        .findFirst()
                        .orElseThrow();
        Map<String, Object> spec = scaledObject.get("spec");
        Deployment worker = KubernetesObjects.ofKind(base, Deployment.class).stream()
                .filter(d ->
                        d.getMetadata().getName().equals(scaledObject.<String>get("spec", "scaleTargetRef", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the ScaledObject's target is not a Deployment of the base"));
        assertThat(worker.getMetadata().getName()).isEqualTo("agentry-worker");
        assertThat(spec.get("minReplicaCount")).isEqualTo(0);

        List<Map<String, Object>> triggers = scaledObject.get("spec", "triggers");
        assertThat(triggers).hasSize(1);
        assertThat(triggers.getFirst().get("type")).isEqualTo("prometheus");
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = (Map<String, String>) triggers.getFirst().get("metadata");
        var meter = Class.forName("dev.agentry.api.queue.WorkQueueDepth").getDeclaredField("METER");
        meter.setAccessible(true);
        assertThat(PromQl.metricNames(metadata.get("query")))
                .containsExactly(ExportedMetrics.prometheusName((String) meter.get(null)));

        // One worker per `concurrency` units of depth: the threshold is the worker's slot count.
        String concurrency = worker.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("AGENTRY_WORKER_CONCURRENCY"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
        assertThat(metadata.get("threshold")).isEqualTo(concurrency);
    }

    @Test
    void theDashboardQueriesOnlyExportedSeries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Repo.read("deploy/observability/grafana/agentry.json"));
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(15);
        assertOnlyExportedSeries(expressions);
        String all = String.join("\n", expressions);
        assertThat(all)
                .contains(
                        "agentry_queue_depth",
                        "agentry_worker_tasks_active",
                        "agentry_webhook_backlog",
                        "agentry_sse_connections",
                        "agentry_outbox_backlog",
                        "agentry_outbox_lag_seconds",
                        "agentry_worker_task_duration_seconds_bucket",
                        "agentry_webhook_attempts_seconds_count");
    }

    @Test
    void theAlertRulesReadOnlyExportedSeries() {
        Map<String, Object> rules = Repo.yaml("deploy/observability/prometheus/alerts.yml");
        List<String> expressions = new ArrayList<>();
        for (Map<?, ?> group : list(rules.get("groups"))) {
            for (Map<?, ?> rule : list(group.get("rules"))) {
                assertThat(rule.get("alert")).isNotNull();
                assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).isIn("page", "ticket");
                expressions.add(String.valueOf(rule.get("expr")));
            }
        }
        assertThat(expressions).hasSizeGreaterThan(5);
        assertOnlyExportedSeries(expressions);
        assertThat(String.join("\n", expressions)).contains("agentry_outbox_lag_seconds");
    }

    @Test
    void theMetricNameReaderFindsEveryName() {
        assertThat(PromQl.metricNames("sum by (work) (max(agentry_queue_depth{state=\"waiting\"})) > 0 unless on() "
                        + "(sum(rate(agentry_worker_tasks_total[15m])) > 0) and deriv(x_y[10m:1m]) > 12 * 1024"))
                .containsExactly("agentry_queue_depth", "agentry_worker_tasks_total", "x_y");
    }

    private static void assertOnlyExportedSeries(List<String> expressions) {
        for (String expression : expressions) {
            for (String name : PromQl.metricNames(expression)) {
                assertThat(EXPORTED.contains(name) || ExportedMetrics.STANDARD.contains(name))
                        .as(name + " in `" + expression + "` is exported by a service")
                        .isTrue();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> list(Object value) {
        return (List<Map<?, ?>>) value;
    }
}

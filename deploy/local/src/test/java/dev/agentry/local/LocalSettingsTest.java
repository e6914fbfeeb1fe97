package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.local.LocalSettings.Service;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalSettingsTest {

    @Test
    void defaultsToTheDocumentedPortsAndDataDirectory() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of());

        assertThat(settings.dataDir()).isEqualTo(Path.of(".agentry-data").toAbsolutePath());
        assertThat(settings.apiPort()).isEqualTo(8080);
        assertThat(settings.workerPort()).isEqualTo(8081);
        assertThat(settings.schedulerPort()).isEqualTo(8082);
        assertThat(settings.dashboardPort()).isEqualTo(8000);
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.postgresPort()).isEqualTo(5433);
        assertThat(settings.kafkaBootstrapServers()).isNull();
        assertThat(settings.database()).isNull();
        assertThat(settings.bootstrapToken()).isNull();
        assertThat(settings.services()).containsExactly(Service.API, Service.WORKER, Service.SCHEDULER);
    }

    @Test
    void runsTheServicesAgentryServicesNamesButAlwaysTheApi() {
        assertThat(LocalSettings.fromEnvironment(Map.of("AGENTRY_SERVICES", " api , Scheduler"))
                        .services())
                .containsExactly(Service.API, Service.SCHEDULER);
        assertThatThrownBy(() -> LocalSettings.fromEnvironment(Map.of("AGENTRY_SERVICES", "worker,scheduler")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must include api");
        assertThatThrownBy(() -> LocalSettings.fromEnvironment(Map.of("AGENTRY_SERVICES", "api,wroker")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown service 'wroker'");
    }

    @Test
    void readsExternalInfrastructureAndPortsFromTheEnvironment() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of(
                "AGENTRY_DATA_DIR", "/tmp/agentry-x",
                "AGENTRY_API_PORT", "9090",
                "AGENTRY_KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "AGENTRY_DATABASE_URL", "jdbc:postgresql://db:5432/agentry",
                "AGENTRY_DATABASE_USERNAME", "agentry",
                "AGENTRY_DATABASE_PASSWORD", "s3cret",
                "AGENTRY_BOOTSTRAP_TOKEN", "token"));

        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/agentry-x"));
        assertThat(settings.apiPort()).isEqualTo(9090);
        assertThat(settings.kafkaBootstrapServers()).isEqualTo("broker:9092");
        assertThat(settings.database())
                .isEqualTo(
                        new LocalSettings.ExternalDatabase("jdbc:postgresql://db:5432/agentry", "agentry", "s3cret"));
        assertThat(settings.bootstrapToken()).isEqualTo("token");
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("token=token");
    }

    @Test
    void handsTheClaudeSettingsToTheWorkerWithoutShowingThem() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of(
                "AGENTRY_CLAUDE_CLI", "/opt/bin/claude",
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:9999",
                "ANTHROPIC_API_KEY", "sk-ant-secret",
                "AGENTRY_CLAUDE_PERMISSION_MODE", "bypassPermissions"));

        assertThat(settings.properties())
                .containsEntry("agentry.worker.claude-code.cli-path", "/opt/bin/claude")
                .containsEntry("agentry.worker.claude-code.base-url", "http://127.0.0.1:9999")
                .containsEntry("agentry.worker.claude-code.api-key", "sk-ant-secret")
                .containsEntry("agentry.worker.claude-code.permission-mode", "bypassPermissions");
        assertThat(settings.toString()).doesNotContain("sk-ant-secret");
    }

    @Test
    void rejectsAPortThatIsNotANumber() {
        assertThatThrownBy(() -> LocalSettings.fromEnvironment(Map.of("AGENTRY_API_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AGENTRY_API_PORT");
    }

    @Test
    void eachWitherChangesOnlyItsOwnSetting() {
        LocalSettings base = LocalSettings.defaults(Path.of("data")).withProperty("a", "1");

        LocalSettings changed = base.withKafka("broker:9092")
                .withDatabase("jdbc:postgresql://db/agentry", "agentry", "secret")
                .withBootstrapToken("bootstrap")
                .withProperty("b", "2")
                .withServices(Set.of(Service.API));

        assertThat(changed.kafkaBootstrapServers()).isEqualTo("broker:9092");
        assertThat(changed.database())
                .isEqualTo(new LocalSettings.ExternalDatabase("jdbc:postgresql://db/agentry", "agentry", "secret"));
        assertThat(changed.bootstrapToken()).isEqualTo("bootstrap");
        assertThat(changed.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
        assertThat(changed.services()).containsExactly(Service.API);
        assertThat(changed.dataDir()).isEqualTo(base.dataDir());
        assertThat(changed.apiPort()).isEqualTo(base.apiPort());
        assertThat(changed.postgresPort()).isEqualTo(base.postgresPort());
        assertThat(base.kafkaBootstrapServers()).isNull();
        assertThat(base.services()).containsExactly(Service.API, Service.WORKER, Service.SCHEDULER);
    }
}

package dev.agentry.api.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.IdentityIntegrationTest;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.RunTask;
import dev.agentry.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KeyVaultTest extends IdentityIntegrationTest {

    private static final String SECRET = "ghp_vaulted_secret_0123456789";
    private final SecretSealer sealer = SecretSealer.fromSpec(SEALING_KEYS);

    @Test
    void registersListsRedactedAndDeletesAKey() {
        Response created = post(
                "/api/v1/keys", "{\"name\":\"my-github-key\",\"provider\":\"github\",\"token\":\"" + SECRET + "\"}");
        Response duplicate =
                post("/api/v1/keys", "{\"name\":\"my-github-key\",\"provider\":\"github\",\"token\":\"other\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asString()).isEqualTo("my-github-key");
        assertThat(created.json().get("provider").asString()).isEqualTo("github");
        assertThat(created.json().get("message").asString()).isNotBlank();
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(duplicate.status()).isEqualTo(409);
        Response list = get("/api/v1/keys");
        var listed = list.json()
                .get("keys")
                .valueStream()
                .filter(k -> k.get("name").asString().equals("my-github-key"))
                .findFirst()
                .orElseThrow();
        assertThat(listed.get("provider").asString()).isEqualTo("github");
        assertThat(listed.has("created_at")).isTrue();
        assertThat(list.body()).doesNotContain(SECRET).doesNotContain("token");
        String stored = jdbc.sql("select token_sealed from provider_keys where name = 'my-github-key'")
                .query(String.class)
                .single();
        assertThat(stored).doesNotContain(SECRET);
        assertThat(sealer.open(new SealedSecret(stored))).isEqualTo(SECRET);

        assertThat(delete("/api/v1/keys/my-github-key", TOKEN).status()).isEqualTo(200);
        assertThat(delete("/api/v1/keys/my-github-key", TOKEN).status()).isEqualTo(404);
        assertThat(get("/api/v1/keys").body()).doesNotContain("my-github-key");
    }

    @Test
    void refusesKeysWithoutNameProviderOrToken() {
        Response bad = post("/api/v1/keys", "{\"name\":\"../x\",\"token\":\"\"}");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fields").has("name")).isTrue();
        assertThat(bad.json().get("fields").has("provider")).isTrue();
        assertThat(bad.json().get("fields").has("token")).isTrue();
    }

    @Test
    void aTaskWithAProviderKeyCarriesTheKeysSealedToken() {
        post("/api/v1/keys", "{\"name\":\"deploy\",\"provider\":\"github\",\"token\":\"" + SECRET + "\"}");

        String id = createTask(
                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"provider_key\":\"deploy\"}");

        String sealed = jdbc.sql("select access_token_sealed from tasks where id = ?::uuid")
                .param(id)
                .query(String.class)
                .single();
        assertThat(sealer.open(new SealedSecret(sealed))).isEqualTo(SECRET);
        String runSpec = jdbc.sql("select run_spec::text from tasks where id = ?::uuid")
                .param(id)
                .query(String.class)
                .single();
        assertThat(runSpec).doesNotContain(SECRET);
        RunTask run = new MessageCodec().mapper().readValue(runSpec, RunTask.class);
        assertThat(sealer.open(run.accessToken())).isEqualTo(SECRET);
        assertThat(get("/api/v1/tasks/" + id).body()).doesNotContain(SECRET);
    }

    @Test
    void noPlaintextSecretReachesKafka() {
        post("/api/v1/keys", "{\"name\":\"kafka-check\",\"provider\":\"github\",\"token\":\"" + SECRET + "\"}");
        String id = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\","
                + "\"provider_key\":\"kafka-check\",\"config\":{\"ai_api_key\":\"sk-ant-plaintext-key\"}}");

        try (var consumer = new KafkaConsumer<String, byte[]>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "secrets-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TASK_COMMANDS));
            List<String> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> records.add(r.key() + " " + new String(r.value(), StandardCharsets.UTF_8)));
                return records.stream().anyMatch(r -> r.startsWith(id));
            });
            assertThat(records).noneMatch(r -> r.contains(SECRET) || r.contains("sk-ant-plaintext-key"));
        }
    }

    @Test
    void aMissingProviderKeyIsA400NamingIt() {
        int before = count("tasks");

        Response response = post(
                "/api/v1/tasks",
                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"provider_key\":\"nope\"}");
        Response both = post(
                "/api/v1/tasks",
                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"provider_key\":\"nope\","
                        + "\"access_token\":\"x\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("fields").get("provider_key").asString()).contains("nope");
        assertThat(both.status()).isEqualTo(400);
        assertThat(count("tasks")).isEqualTo(before);
    }

    @Test
    void anotherTenantsKeyCannotBeUsedSeenOrDeleted() {
        post("/api/v1/keys", "{\"name\":\"mine\",\"provider\":\"github\",\"token\":\"" + SECRET + "\"}");

        assertThat(get("/api/v1/keys", OTHER_TOKEN).body()).doesNotContain("mine");
        assertThat(delete("/api/v1/keys/mine", OTHER_TOKEN).status()).isEqualTo(404);
        assertThat(post(
                                "/api/v1/tasks",
                                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"provider_key\":\"mine\"}",
                                OTHER_TOKEN)
                        .status())
                .isEqualTo(400);
    }
}

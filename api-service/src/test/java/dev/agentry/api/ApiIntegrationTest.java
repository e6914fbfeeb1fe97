package dev.agentry.api;

import dev.agentry.events.Envelope;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API service on a real PostgreSQL (a fresh database per test class) and a real KRaft broker, called over
 * real HTTP with two tenants' tokens.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=api"})
public abstract class ApiIntegrationTest {

    protected static final String TOKEN = "test-token-tenant-a";
    protected static final String OTHER_TOKEN = "test-token-tenant-b";
    protected static final String SEALING_KEYS = SecretSealer.newSpec("k1");

    private static final HttpClient http = HttpClient.newHttpClient();
    protected static final JsonMapper json = JsonMapper.builder().build();
    protected static final MessageCodec CODEC = new MessageCodec();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestDatabase.Database db = TestDatabase.create();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        // Spring keeps every test class's context alive for reuse; with Hikari's default (a full pool kept idle) a
        // handful of cached contexts hold PostgreSQL's 100 connections. An idle context gives its connections back.
        registry.add("spring.datasource.hikari.minimum-idle", () -> 0);
        registry.add("spring.datasource.hikari.idle-timeout", () -> 10_000);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("agentry.secrets.sealing-keys", () -> SEALING_KEYS);
        registry.add("agentry.api.bootstrap-token", () -> TOKEN);
        registry.add("agentry.api.bootstrap-tenant", () -> "tenant-a");
        registry.add("agentry.api.projector-group", () -> "projector-" + UUID.randomUUID());
    }

    @Autowired
    void registerSecondTenant(dev.agentry.api.tenant.ApiTokens tokens) {
        tokens.ensure(new dev.agentry.api.tenant.TenantId("tenant-b"), "other", OTHER_TOKEN);
    }

    protected record Response(int status, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            return ApiIntegrationTest.json.readTree(body);
        }
    }

    protected Response get(String path) {
        return send(request(path).GET().header("Authorization", "Bearer " + TOKEN));
    }

    protected Response get(String path, String token) {
        return send(request(path).GET().header("Authorization", "Bearer " + token));
    }

    protected Response post(String path, String body) {
        return post(path, body, TOKEN);
    }

    protected Response post(String path, String body, String token) {
        return send(request(path)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    protected Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected String createTask(String body) {
        Response created = post("/api/v1/tasks", body);
        if (created.status() != 201) {
            throw new AssertionError("expected 201, got " + created.status() + ": " + created.body());
        }
        return created.json().get("id").asString();
    }

    private static volatile KafkaProducer<String, byte[]> producer;

    /** Publishes an event as a worker would: keyed by task, the envelope's bytes, acknowledged by the broker. */
    protected static void publishEvent(UUID taskId, Message message) {
        publishEvent(Envelope.of(taskId, "tenant-a", message));
    }

    protected static void publishEvent(Envelope<? extends Message> envelope) {
        try {
            producer()
                    .send(new ProducerRecord<>(Topics.TASK_EVENTS, envelope.key(), CODEC.encode(envelope)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + envelope.type(), e);
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                    new StringSerializer(),
                    new ByteArraySerializer());
        }
        return producer;
    }

    @Autowired
    private org.springframework.core.env.Environment environment;

    /**
     * Another API instance on the same database and broker, on a port of its own; the caller closes it. Settings
     * come as {@code --name=value} arguments, e.g. {@code --agentry.api.projector-enabled=false}.
     */
    protected org.springframework.context.ConfigurableApplicationContext startAnotherInstance(String... settings) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=0",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--agentry.secrets.sealing-keys=" + SEALING_KEYS));
        args.addAll(java.util.List.of(settings));
        return ApiApplication.builder().run(args.toArray(String[]::new));
    }

    protected static int portOf(org.springframework.context.ConfigurableApplicationContext instance) {
        return ((org.springframework.boot.web.server.context.WebServerApplicationContext) instance)
                .getWebServer()
                .getPort();
    }

    protected int count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }
}

package dev.agentry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.api.tenant.ApiTokens;
import dev.agentry.api.tenant.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests generated from the API's own served OpenAPI document, sent to the real service: for every documented
 * operation, path and query values of the wrong type, boundary and huge numbers, overlong and odd strings, NUL
 * and control characters, bodies with fields missing, extra, of the wrong type or not JSON at all, wrong content
 * types and foreign or missing credentials. Whatever arrives, the answer is never a 5xx and never a hang.
 *
 * <p>The generator is seeded: the build uses one fixed seed, so its verdict is repeatable; a longer hunt runs with
 * {@code -Dagentry.fuzz.seed=<any number> -Dagentry.fuzz.requests=<n>}, and the seed it prints replays a failure.
 */
@TestPropertySource(properties = "agentry.missions.execute-wait=1s")
class HostileInputFuzzTest extends ApiIntegrationTest {

    private static final int REQUESTS = Integer.getInteger("agentry.fuzz.requests", 10_000);
    private static final long SEED = Long.getLong("agentry.fuzz.seed", 20_261_202L);
    private static final Duration PER_REQUEST = Duration.ofSeconds(15);
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final List<String> ODD_STRINGS = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\u0001\u0007\u001b[31m\u001f",
            "\r\n\r\nX-Injected: 1",
            "\uFFFF\uFFFE",
            "\uD800",
            "💥🧨",
            "' OR '1'='1",
            "\"; drop table tasks; --",
            "../../../../etc/passwd",
            "%00",
            "%",
            "${jndi:ldap://127.0.0.1/x}",
            "<script>alert(1)</script>",
            "null",
            "true",
            "-1",
            "0",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "-Infinity",
            "2026-13-45T25:61:61Z",
            "0000-00-00",
            "not-a-uuid",
            "00000000-0000-0000-0000-000000000000",
            "x".repeat(300),
            "y".repeat(70_000));

    private static final List<String> ODD_NUMBERS = List.of(
            "-1", "0", "-0.0", "1.5", "2147483648", "-2147483649", "9223372036854775808", "1e309", "-1e309", "1e-400");

    private static final List<String> NOT_JSON = List.of(
            "", "null", "[]", "\"text\"", "123", "{", "{\"a\":", "{\"a\":1,}", "\u0000", "<xml/>", "{'single':1}");

    @Autowired
    private ApiTokens tokens;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping routes;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @Test
    void noGeneratedRequestGetsA5xxOrHangs() throws Exception {
        Response served = get("/api/docs/generated");
        assertThat(served.status()).as("the served OpenAPI document").isEqualTo(200);
        JsonNode spec = served.json();
        List<Operation> operations = operations(spec);
        assertThat(operations).as("documented operations").hasSizeGreaterThan(20);

        Random random = new Random(SEED);
        Map<String, AtomicInteger> byStatusClass = new TreeMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            Operation operation = operations.get(i % operations.size());
            Attempt attempt = new Generator(spec, random).attempt(operation);
            int status = send(attempt, failures);
            byStatusClass
                    .computeIfAbsent(status < 0 ? "no answer" : (status / 100) + "xx", k -> new AtomicInteger())
                    .incrementAndGet();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(get("/api/v1/tasks").status())
                .as("the fuzzer's token still works, so its requests reached the handlers")
                .isEqualTo(200);

        System.out.printf(
                "Hostile-input fuzz: %d requests over %d operations in %d s (seed %d): %s%n",
                REQUESTS, operations.size(), took.toSeconds(), SEED, byStatusClass);
        assertThat(failures)
                .as("requests answered with a 5xx or not at all (seed %d); first of each operation shown", SEED)
                .isEmpty();
        // Most of what the fuzzer sends is refused; a generator that never got past validation would prove little.
        assertThat(byStatusClass.getOrDefault("2xx", new AtomicInteger()).get())
                .as("requests that were accepted")
                .isPositive();
    }

    /** What the fuzzer found once stays found: each of these answered 500 before its fix. */
    @Test
    void theInputsTheFuzzerFoundAreRefusedAsTheClientsToFix() {
        Response nul = send(request("/api/v1/auth/login")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"\\u0000\",\"password\":\"x\"}"))
                .header("Content-Type", "application/json"));
        assertThat(nul.status()).as(nul.body()).isEqualTo(400);
        assertThat(nul.body()).contains("NUL");

        Response blankId = post("/api/v1/tasks/%20/cancel", "");
        assertThat(blankId.status()).as(blankId.body()).isEqualTo(400);
        assertThat(blankId.body()).contains("taskId").contains("UUID");
    }

    /** The fuzzer covers what the document lists; a route missing from it would be neither documented nor tried. */
    @Test
    void everyRouteTheServiceHasIsInTheServedDocument() {
        Response served = get("/api/docs/generated");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        JsonNode paths = served.json().get("paths");
        List<String> undocumented = new ArrayList<>();
        routes.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getPackageName().startsWith("org.springdoc")) {
                return;
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? EnumSet.allOf(RequestMethod.class) : methods) {
                    String name = method.name().toLowerCase();
                    if (METHODS.contains(name)
                            && !paths.path(pattern).has(name)
                            && (!methods.isEmpty() || !paths.has(pattern))) {
                        undocumented.add(method + " " + pattern + " (" + handler.getShortLogMessage() + ")");
                    }
                }
            }
        });
        assertThat(undocumented).as("routes missing from /api/docs/generated").isEmpty();
    }

    private int send(Attempt attempt, Map<String, String> failures) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + attempt.target()))
                .timeout(PER_REQUEST)
                .method(
                        attempt.method().toUpperCase(),
                        attempt.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(attempt.body()));
        if (attempt.contentType() != null) {
            request.header("Content-Type", attempt.contentType());
        }
        String token = attempt.token();
        if (TOKEN.equals(token) && attempt.target().startsWith("/api/v1/auth/logout")) {
            // Logout revokes the token it is sent with: it gets one of its own, so the rest of the run stays signed in.
            token = "fuzz-logout-" + UUID.randomUUID();
            tokens.ensure(new TenantId("tenant-a"), token, token);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String key = attempt.operation().method() + " " + attempt.operation().path();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                boolean stream =
                        response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                // A live stream never ends by itself: its status is the answer, its body is not awaited.
                body = stream ? "" : new String(in.readNBytes(2_000), StandardCharsets.UTF_8);
                if (!stream) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            if (response.statusCode() >= 500) {
                failures.putIfAbsent(key, response.statusCode() + " to " + attempt + ": " + body);
            }
            return response.statusCode();
        } catch (HttpTimeoutException e) {
            failures.putIfAbsent(key, "no answer within " + PER_REQUEST + " to " + attempt);
            return -1;
        } catch (IOException e) {
            failures.putIfAbsent(key, "connection failed (" + e + ") on " + attempt);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Operation> operations(JsonNode spec) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null) {
                    operations.add(new Operation(method, path.getKey(), operation));
                }
            }
        }
        return operations;
    }

    private record Operation(String method, String path, JsonNode definition) {}

    private record Attempt(
            Operation operation, String method, String target, String contentType, String body, String token) {

        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
            String target = this.target.length() > 300 ? this.target.substring(0, 300) + "…" : this.target;
            return method.toUpperCase() + " " + target + " [" + contentType + "] " + shown;
        }
    }

    /** Makes one request for an operation: mostly well-formed around a single hostile change, sometimes worse. */
    private static final class Generator {

        private final JsonNode spec;
        private final Random random;
        /** One request in four is plausible throughout, so the generator also reaches past validation. */
        private boolean hostile;

        Generator(JsonNode spec, Random random) {
            this.spec = spec;
            this.random = random;
        }

        Attempt attempt(Operation operation) {
            hostile = random.nextInt(4) != 0;
            JsonNode parameters = operation.definition().path("parameters");
            String path = operation.path();
            StringBuilder query = new StringBuilder();
            for (JsonNode parameter : parameters) {
                String name = parameter.path("name").asString();
                JsonNode schema = resolve(parameter.path("schema"));
                switch (parameter.path("in").asString()) {
                    case "path" ->
                        path = path.replace(
                                "{" + name + "}", encode(hostile ? pathValue(schema) : plausibleString(schema)));
                    case "query" -> {
                        if (parameter.path("required").asBoolean() || random.nextBoolean()) {
                            query.append(query.isEmpty() ? '?' : '&')
                                    .append(encode(name))
                                    .append('=')
                                    .append(encode(hostile ? scalarText(schema) : plausible(schema)));
                        }
                    }
                    default -> {}
                }
            }
            if (hostile && random.nextInt(10) == 0) {
                query.append(query.isEmpty() ? '?' : '&').append("unexpected=").append(encode(oddString()));
            }
            String contentType = "application/json";
            String body = null;
            JsonNode requestBody = operation.definition().path("requestBody").path("content");
            if (!requestBody.isMissingNode() || !operation.method().equals("get")) {
                JsonNode schema = requestBody.path("application/json").path("schema");
                body = body(schema.isMissingNode() ? null : resolve(schema));
                contentType = !hostile
                        ? "application/json"
                        : switch (random.nextInt(20)) {
                            case 0 -> "text/plain";
                            case 1 -> "application/xml";
                            case 2 -> null;
                            case 3 -> "multipart/form-data; boundary=x";
                            case 4 -> "application/json; charset=nonsense";
                            default -> "application/json";
                        };
            }
            String token = !hostile
                    ? TOKEN
                    : switch (random.nextInt(20)) {
                        case 0 -> null;
                        case 1 -> "not-a-token";
                        case 2 -> OTHER_TOKEN;
                        default -> TOKEN;
                    };
            return new Attempt(operation, operation.method(), path + query, contentType, body, token);
        }

        private String body(JsonNode schema) {
            if (!hostile) {
                return schema == null ? "{}" : value(schema, 0).toString();
            }
            int shape = random.nextInt(100);
            if (shape < 5 || schema == null) {
                return pick(NOT_JSON);
            }
            if (shape == 5) {
                return "[".repeat(5_000) + "]".repeat(5_000);
            }
            if (shape == 6) {
                return "{\"mission\":\"" + "z".repeat(1_000_000) + "\"}";
            }
            JsonNode valid = value(schema, 0);
            if (valid instanceof ObjectNode object && !object.isEmpty()) {
                mutate(object, schema);
            }
            String text = valid.toString();
            // Raw number literals no encoder writes: out of range for every Java number type.
            return shape < 10 ? text.replaceFirst(":(-?\\d+)([,}])", ":1e999999$2") : text;
        }

        /** One change to a well-formed object: a field dropped, of the wrong type, odd, or added. */
        private void mutate(ObjectNode object, JsonNode schema) {
            List<String> names = new ArrayList<>(object.propertyNames());
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(6)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(name, wrongType(object.get(name)));
                case 2 -> object.put(name, oddString());
                case 3 -> object.putRawValue(name, new tools.jackson.databind.util.RawValue(pick(ODD_NUMBERS)));
                case 4 -> object.put("unexpected_" + random.nextInt(100), oddString());
                default -> {
                    JsonNode property = resolve(schema.path("properties").path(name));
                    object.set(name, value(property, 0));
                }
            }
        }

        private JsonNode wrongType(JsonNode current) {
            List<JsonNode> others = List.of(
                    NODES.nullNode(),
                    NODES.booleanNode(true),
                    NODES.numberNode(-1),
                    NODES.stringNode("wrong"),
                    NODES.arrayNode().add("x"),
                    NODES.objectNode().put("x", 1));
            JsonNode other;
            do {
                other = others.get(random.nextInt(others.size()));
            } while (current != null && other.getNodeType() == current.getNodeType());
            return other;
        }

        /** A plausible value for a schema: the fuzzer's starting point before one thing is made wrong. */
        private JsonNode value(JsonNode schema, int depth) {
            schema = resolve(schema);
            if (depth > 4) {
                return NODES.nullNode();
            }
            JsonNode choice = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            if (choice != null && choice.isArray() && !choice.isEmpty()) {
                return value(choice.get(random.nextInt(choice.size())), depth + 1);
            }
            if (schema.has("enum") && !schema.get("enum").isEmpty()) {
                JsonNode values = schema.get("enum");
                return hostile && random.nextInt(8) == 0
                        ? NODES.stringNode(oddString())
                        : values.get(random.nextInt(values.size()));
            }
            return switch (type(schema)) {
                case "object" -> {
                    ObjectNode object = NODES.objectNode();
                    Iterator<Map.Entry<String, JsonNode>> properties =
                            schema.path("properties").properties().iterator();
                    while (properties.hasNext()) {
                        Map.Entry<String, JsonNode> property = properties.next();
                        if (required(schema, property.getKey()) || random.nextBoolean()) {
                            object.set(property.getKey(), value(property.getValue(), depth + 1));
                        }
                    }
                    yield object;
                }
                case "array" -> {
                    ArrayNode array = NODES.arrayNode();
                    int size = random.nextInt(4);
                    for (int i = 0; i < size; i++) {
                        array.add(value(schema.path("items"), depth + 1));
                    }
                    yield array;
                }
                case "integer" -> NODES.numberNode(random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(100));
                case "number" -> NODES.numberNode(random.nextInt(4) == 0 ? -random.nextDouble() : random.nextDouble());
                case "boolean" -> NODES.booleanNode(random.nextBoolean());
                default -> NODES.stringNode(plausibleString(schema));
            };
        }

        private String plausibleString(JsonNode schema) {
            return switch (schema.path("format").asString()) {
                case "uuid" -> uuid();
                case "date-time" -> "2026-12-02T10:00:00Z";
                case "date" -> "2026-12-02";
                case "uri", "url" -> "http://127.0.0.1:9/hook";
                case "email" -> "someone@example.invalid";
                default -> hostile && random.nextInt(4) == 0 ? oddString() : "fuzz-" + random.nextInt(1_000);
            };
        }

        private String plausible(JsonNode schema) {
            return switch (type(schema)) {
                case "integer", "number" -> Integer.toString(random.nextInt(50));
                case "boolean" -> Boolean.toString(random.nextBoolean());
                default -> {
                    JsonNode values = schema.path("enum");
                    yield values.isEmpty()
                            ? plausibleString(schema)
                            : values.get(random.nextInt(values.size())).asString();
                }
            };
        }

        private String pathValue(JsonNode schema) {
            return switch (random.nextInt(4)) {
                case 0 -> uuid();
                case 1 -> scalarText(schema);
                default -> oddString();
            };
        }

        private String scalarText(JsonNode schema) {
            return switch (type(schema)) {
                case "integer", "number" -> random.nextBoolean() ? pick(ODD_NUMBERS) : oddString();
                case "boolean" -> random.nextBoolean() ? "maybe" : "true";
                default -> random.nextInt(3) == 0 ? plausibleString(schema) : oddString();
            };
        }

        /** From the seeded generator, so that a seed replays the same requests. */
        private String uuid() {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }

        private String oddString() {
            return pick(ODD_STRINGS);
        }

        private String pick(List<String> values) {
            return values.get(random.nextInt(values.size()));
        }

        private JsonNode resolve(JsonNode schema) {
            for (int hops = 0; schema.has("$ref") && hops < 10; hops++) {
                String ref = schema.get("$ref").asString();
                schema = spec.at(ref.substring(1));
            }
            return schema;
        }

        private static String type(JsonNode schema) {
            JsonNode type = schema.path("type");
            if (type.isArray()) {
                for (JsonNode t : type) {
                    if (!t.asString().equals("null")) {
                        return t.asString();
                    }
                }
            }
            if (type.isString()) {
                return type.asString();
            }
            return schema.has("properties") ? "object" : "string";
        }

        private static boolean required(JsonNode schema, String name) {
            for (JsonNode required : schema.path("required")) {
                if (required.asString().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}

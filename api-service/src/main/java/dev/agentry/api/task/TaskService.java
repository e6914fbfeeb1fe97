package dev.agentry.api.task;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.UnprocessableException;
import dev.agentry.api.key.ProviderKeys;
import dev.agentry.api.mcp.McpServers;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.support.PageCursor;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.RunTask;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Accepting tasks and reading them back. */
@Service
class TaskService {

    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    private final TaskRequestValidator validator;
    private final Tasks tasks;
    private final Outbox outbox;
    private final SecretSealer sealer;
    private final TraceContext trace;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApiProperties properties;
    private final MessageCodec codec;
    private final ProviderKeys providerKeys;
    private final McpServers mcpServers;
    private final Admission admission;

    TaskService(
            TaskRequestValidator validator,
            Tasks tasks,
            Outbox outbox,
            SecretSealer sealer,
            TraceContext trace,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            JsonMapper json,
            ApiProperties properties,
            MessageCodec codec,
            ProviderKeys providerKeys,
            McpServers mcpServers,
            Admission admission) {
        this.validator = validator;
        this.tasks = tasks;
        this.outbox = outbox;
        this.sealer = sealer;
        this.trace = trace;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.codec = codec;
        this.providerKeys = providerKeys;
        this.mcpServers = mcpServers;
        this.admission = admission;
    }

    /** The outcome of a create: the task, and whether an earlier request with the same key made it. */
    public record Created(TaskView task, boolean replayed) {}

    /**
     * Validates and stores the task and its {@code task.run} command in one transaction; the 201 goes out only
     * after that commit. With an idempotency key, a repeat of the same request returns the original task.
     */
    public Created create(TenantId tenant, @Nullable CreateTaskRequest request, @Nullable String idempotencyKey) {
        NewTask task = validator.validate(request);
        if (idempotencyKey == null) {
            return new Created(insert(tenant, task, null, null), false);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw new InvalidRequestException(Map.of("Idempotency-Key", "must be 1 to 255 characters"));
        }
        String hash = hash(request);
        try {
            return new Created(insert(tenant, task, idempotencyKey, hash), false);
        } catch (KeyAlreadyUsed used) {
            if (!used.requestHash().equals(hash)) {
                throw new UnprocessableException(
                        "idempotency key reused",
                        "Idempotency-Key " + idempotencyKey + " was already used with a different request body.",
                        Map.of("Idempotency-Key", "was used with a different request body"));
            }
            return new Created(get(tenant, used.taskId(), false), true);
        }
    }

    public TaskView get(TenantId tenant, UUID id, boolean withIterations) {
        TaskView view = tasks.find(tenant, id).orElseThrow(() -> Tasks.notFound(id));
        return withIterations ? view.withIterations(tasks.iterations(tenant, id)) : view;
    }

    public Tasks.Page list(TenantId tenant, @Nullable String status, @Nullable String cursor, int limit) {
        TaskStatus filter = null;
        if (status != null) {
            filter = TaskStatus.fromWire(status)
                    .orElseThrow(() -> new InvalidRequestException(Map.of("status", "is not a task status")));
        }
        if (limit < 1 || limit > 100) {
            throw new InvalidRequestException(Map.of("limit", "must be between 1 and 100"));
        }
        PageCursor after = null;
        if (cursor != null) {
            after = PageCursor.decode(cursor)
                    .orElseThrow(() -> new InvalidRequestException(Map.of("cursor", "is not a cursor of this API")));
        }
        return tasks.page(tenant, filter, after, limit);
    }

    /** Stores a mission's task and its {@code task.run}, joining the caller's transaction. */
    UUID insertMission(TenantId tenant, NewTask task) {
        return insert(tenant, task, null, null).id();
    }

    private TaskView insert(
            TenantId tenant, NewTask task, @Nullable String idempotencyKey, @Nullable String requestHash) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SealedSecret accessToken = accessToken(tenant, task);
        SealedSecret aiApiKey = task.aiApiKey() == null ? null : sealer.seal(task.aiApiKey());
        String traceId = trace.traceId();
        RunTask run = runTask(task, accessToken, aiApiKey, mcpServers.forRun(tenant));
        transactions.executeWithoutResult(tx -> {
            tasks.insert(new Tasks.Insert(
                    id,
                    tenant,
                    task,
                    publicConfig(task),
                    accessToken == null ? null : accessToken.value(),
                    aiApiKey == null ? null : aiApiKey.value(),
                    traceId,
                    codec.mapper().writeValueAsString(run),
                    now));
            if (idempotencyKey != null) {
                claim(tenant, idempotencyKey, requestHash, id, now);
            }
            if (admission.acceptNewTask(tenant, id)) {
                outbox.append(Topics.TASK_COMMANDS, Envelope.of(id, tenant.value(), run), trace.headers());
            }
        });
        log.info("Task {} accepted for tenant {} with runtime {}.", id, tenant, task.runtime());
        return tasks.find(tenant, id).orElseThrow(() -> new IllegalStateException("task vanished: " + id));
    }

    /** Claims the key for this task, or rolls the whole insert back if an earlier request holds it. */
    private void claim(TenantId tenant, String key, @Nullable String requestHash, UUID taskId, Instant now) {
        Timestamp expired = Timestamp.from(now.minus(properties.idempotencyWindow()));
        jdbc.sql("delete from idempotency_keys where tenant_id = ? and key = ? and created_at < ?")
                .params(tenant.value(), key, expired)
                .update();
        int claimed = jdbc.sql("""
                insert into idempotency_keys (tenant_id, key, request_hash, task_id, created_at)
                values (?, ?, ?, ?, ?) on conflict (tenant_id, key) do nothing""")
                .params(tenant.value(), key, requestHash, taskId, Timestamp.from(now))
                .update();
        if (claimed == 0) {
            Optional<KeyAlreadyUsed> used = jdbc.sql(
                            "select task_id, request_hash from idempotency_keys where tenant_id = ? and key = ?")
                    .params(tenant.value(), key)
                    .query((rs, n) ->
                            new KeyAlreadyUsed(rs.getObject("task_id", UUID.class), rs.getString("request_hash")))
                    .optional();
            throw used.orElseThrow(() -> new IllegalStateException("idempotency key vanished: " + key));
        }
    }

    /** The inline token, sealed here, or the named vault key's token, sealed already; a missing key is a 400. */
    private @Nullable SealedSecret accessToken(TenantId tenant, NewTask task) {
        if (task.providerKey() != null) {
            return providerKeys
                    .sealedToken(tenant, task.providerKey())
                    .orElseThrow(() -> new InvalidRequestException(
                            Map.of("provider_key", "names no registered key (" + task.providerKey() + ")")));
        }
        return task.accessToken() == null ? null : sealer.seal(task.accessToken());
    }

    /** The tenant's global MCP servers, then the task's own; a task's server replaces a global one of its name. */
    private RunTask runTask(
            NewTask task,
            @Nullable SealedSecret accessToken,
            @Nullable SealedSecret aiApiKey,
            List<RunTask.McpServer> globalServers) {
        Map<String, RunTask.McpServer> servers = new LinkedHashMap<>();
        globalServers.forEach(s -> servers.put(s.name(), s));
        task.mcpServers()
                .forEach(s -> servers.put(
                        s.name(), new RunTask.McpServer(s.name(), s.command(), s.args(), sealAll(s.env()))));
        return new RunTask(
                1,
                task.repoUrl(),
                task.prompt(),
                task.runtime(),
                task.timeoutSeconds(),
                task.targetBranch(),
                task.model(),
                task.maxTurns(),
                task.maxBudgetUsd(),
                List.copyOf(servers.values()),
                accessToken,
                aiApiKey,
                null,
                task.mission() == null ? null : task.mission().systemPrompt(),
                task.mission() == null ? List.of() : task.mission().allowedTools());
    }

    private List<SealedSecret> sealAll(List<String> values) {
        return values.stream().map(sealer::seal).toList();
    }

    /** The config as stored and shown back: what the client sent, with secrets left out. */
    private String publicConfig(NewTask task) {
        ObjectNode config = json.createObjectNode();
        config.put("cli", task.runtime());
        config.put("timeout_seconds", task.timeoutSeconds());
        if (task.model() != null) {
            config.put("ai_model", task.model());
        }
        if (task.maxTurns() != null) {
            config.put("max_turns", task.maxTurns());
        }
        if (task.targetBranch() != null) {
            config.put("target_branch", task.targetBranch());
        }
        if (task.maxBudgetUsd() != null) {
            config.put("max_budget_usd", task.maxBudgetUsd());
        }
        if (!task.mcpServers().isEmpty()) {
            var servers = config.putArray("mcp_servers");
            for (NewTask.McpServer server : task.mcpServers()) {
                var node = servers.addObject().put("name", server.name()).put("command", server.command());
                server.args().forEach(node.putArray("args")::add);
                var env = node.putArray("env");
                server.env().forEach(e -> env.add(e.substring(0, e.indexOf('=') + 1) + "***"));
            }
        }
        return json.writeValueAsString(config);
    }

    private String hash(@Nullable CreateTaskRequest request) {
        try {
            byte[] canonical = json.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static final class KeyAlreadyUsed extends RuntimeException {

        private final UUID taskId;
        private final String requestHash;

        KeyAlreadyUsed(UUID taskId, String requestHash) {
            super(null, null, false, false);
            this.taskId = taskId;
            this.requestHash = requestHash;
        }

        UUID taskId() {
            return taskId;
        }

        String requestHash() {
            return requestHash;
        }
    }
}

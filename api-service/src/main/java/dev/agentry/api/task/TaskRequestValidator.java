package dev.agentry.api.task;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.events.webhook.WebhookEventTypes;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks a create request against the contract and names every field that breaks it, all at once. Values that
 * end up in a worker's process arguments (model, branch) are held to strict patterns so none can pose as an
 * option.
 */
@Component
class TaskRequestValidator {

    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+$");
    private static final Pattern BRANCH =
            Pattern.compile("^(?![-/.])(?!.*\\.\\.)(?!.*//)(?!.*@\\{)(?!.*\\.lock$)(?!.*[/.]$)[A-Za-z0-9._/-]{1,255}$");
    private static final Pattern MODEL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:@/\\[\\]-]{0,199}$");
    private static final Pattern PROVIDER_KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern MCP_NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern ENV_ENTRY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}=.*$", Pattern.DOTALL);

    private final ApiProperties properties;

    TaskRequestValidator(ApiProperties properties) {
        this.properties = properties;
    }

    NewTask validate(@Nullable CreateTaskRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request == null) {
            throw new InvalidRequestException(Map.of("body", "is required"));
        }
        String repoUrl = repoUrl(request.repoUrl(), errors);
        String prompt = prompt(request.prompt(), errors);
        String callbackUrl = callbackUrl(request.callbackUrl(), errors);
        List<String> webhookEvents = webhookEvents(request.webhookEvents(), callbackUrl, errors);
        String providerKey = request.providerKey();
        if (providerKey != null) {
            if (!PROVIDER_KEY.matcher(providerKey).matches()) {
                errors.put("provider_key", "names no registered key (" + providerKey.strip() + ")");
            } else if (request.accessToken() != null) {
                errors.put("provider_key", "give provider_key or access_token, not both");
            }
        }
        if (request.accessToken() != null && request.accessToken().isBlank()) {
            errors.put("access_token", "must not be blank when given");
        }
        CreateTaskRequest.Config config = request.config() == null
                ? new CreateTaskRequest.Config(null, null, null, null, null, null, null, null)
                : request.config();
        String runtime = config.cli() == null ? "claude-code" : config.cli();
        if (!properties.runtimes().contains(runtime)) {
            errors.put("config.cli", "must be one of " + String.join(", ", properties.runtimes()));
        }
        int timeout = (int) properties.defaultTimeout().toSeconds();
        if (config.timeoutSeconds() != null) {
            timeout = config.timeoutSeconds();
            if (timeout < 1 || timeout > properties.maxTimeout().toSeconds()) {
                errors.put(
                        "config.timeout_seconds",
                        "must be between 1 and " + properties.maxTimeout().toSeconds());
            }
        }
        if (config.maxTurns() != null && (config.maxTurns() < 1 || config.maxTurns() > 1000)) {
            errors.put("config.max_turns", "must be between 1 and 1000");
        }
        if (config.maxBudgetUsd() != null && config.maxBudgetUsd().compareTo(BigDecimal.ZERO) <= 0) {
            errors.put("config.max_budget_usd", "must be greater than 0");
        }
        if (config.aiModel() != null && !MODEL.matcher(config.aiModel()).matches()) {
            errors.put("config.ai_model", "is not a model name");
        }
        if (config.targetBranch() != null
                && !BRANCH.matcher(config.targetBranch()).matches()) {
            errors.put("config.target_branch", "is not a valid branch name");
        }
        if (config.aiApiKey() != null && config.aiApiKey().isBlank()) {
            errors.put("config.ai_api_key", "must not be blank when given");
        }
        List<NewTask.McpServer> mcpServers = mcpServers(config.mcpServers(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new NewTask(
                repoUrl,
                prompt,
                callbackUrl,
                webhookEvents,
                runtime,
                timeout,
                config.aiModel(),
                config.maxTurns(),
                config.targetBranch(),
                config.maxBudgetUsd(),
                mcpServers,
                request.accessToken(),
                config.aiApiKey(),
                providerKey,
                null);
    }

    /** What is wrong with a mission profile's repository URL, as for a task's {@code repo_url}; empty if nothing. */
    Optional<String> repositoryProblem(String value) {
        Map<String, String> errors = new LinkedHashMap<>();
        repoUrl(value, errors);
        return errors.values().stream().findFirst();
    }

    private String repoUrl(@Nullable String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            errors.put("repo_url", "is required");
            return "";
        }
        if (value.length() > MAX_URL_LENGTH || value.chars().anyMatch(c -> c <= ' ')) {
            errors.put("repo_url", "is not a valid git URL");
            return value;
        }
        if (SCP_LIKE.matcher(value).matches()) {
            return value;
        }
        if (value.startsWith("/")) {
            if (!properties.allowLocalRepos()) {
                errors.put("repo_url", "must not be a local path on this deployment");
            }
            return value;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "https", "http", "ssh", "git" -> {
                    if (uri.getHost() == null) {
                        errors.put("repo_url", "has no host");
                    } else if (uri.getRawUserInfo() != null
                            && uri.getRawUserInfo().contains(":")) {
                        errors.put("repo_url", "must not embed credentials; send them as access_token");
                    }
                }
                case "file" -> {
                    if (!properties.allowLocalRepos()) {
                        errors.put("repo_url", "must not be a file:// URL on this deployment");
                    }
                }
                default -> errors.put("repo_url", "must be an https, http, ssh or git URL");
            }
        } catch (URISyntaxException e) {
            errors.put("repo_url", "is not a valid git URL");
        }
        return value;
    }

    private String prompt(@Nullable String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            errors.put("prompt", "is required");
            return "";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > properties.maxPromptBytes()) {
            errors.put("prompt", "must be at most " + properties.maxPromptBytes() + " bytes");
        }
        return value;
    }

    private @Nullable String callbackUrl(@Nullable String value, Map<String, String> errors) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                errors.put("callback_url", "must be an absolute http or https URL");
            } else if (value.length() > MAX_URL_LENGTH) {
                errors.put("callback_url", "must be at most " + MAX_URL_LENGTH + " characters");
            }
        } catch (URISyntaxException e) {
            errors.put("callback_url", "must be an absolute http or https URL");
        }
        return value;
    }

    /** The task's own event types, duplicates dropped in the order given; null leaves it to the tenant's. */
    private @Nullable List<String> webhookEvents(
            @Nullable List<@Nullable JsonNode> value, @Nullable String callbackUrl, Map<String, String> errors) {
        if (value == null) {
            return null;
        }
        if (value.stream().anyMatch(type -> type == null || !type.isString())) {
            errors.put("webhook_events", "must be an array of event type names (strings)");
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        value.forEach(type -> types.add(type.stringValue()));
        if (!WebhookEventTypes.ALL.containsAll(types)) {
            errors.put("webhook_events", "may only contain " + String.join(", ", WebhookEventTypes.ALL));
        } else if (callbackUrl == null) {
            errors.put("webhook_events", "requires callback_url");
        }
        return List.copyOf(types);
    }

    private List<NewTask.McpServer> mcpServers(
            @Nullable List<CreateTaskRequest.McpServer> servers, Map<String, String> errors) {
        List<NewTask.McpServer> valid = new ArrayList<>();
        if (servers == null) {
            return valid;
        }
        for (int i = 0; i < servers.size(); i++) {
            String at = "config.mcp_servers[" + i + "]";
            CreateTaskRequest.McpServer server = servers.get(i);
            if (server == null) {
                errors.put(at, "must be an object");
                continue;
            }
            if (server.name() == null || !MCP_NAME.matcher(server.name()).matches()) {
                errors.put(at + ".name", "must be 1-64 letters, digits, '-' or '_'");
            }
            if (server.command() == null || server.command().isBlank()) {
                errors.put(at + ".command", "is required");
            }
            List<String> args = server.args() == null ? List.of() : server.args();
            if (args.stream().anyMatch(a -> a == null)) {
                errors.put(at + ".args", "must not contain null");
            }
            List<String> env = server.env() == null ? List.of() : server.env();
            if (env.stream().anyMatch(e -> e == null || !ENV_ENTRY.matcher(e).matches())) {
                errors.put(at + ".env", "entries must look like NAME=value");
            }
            if (!errors.containsKey(at + ".name") && !errors.containsKey(at + ".command")) {
                valid.add(new NewTask.McpServer(server.name(), server.command(), args, env));
            }
        }
        return valid;
    }
}

package dev.agentry.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Real git remotes over HTTP: bare repositories under one root, served by {@code git http-backend} (git's own
 * smart-HTTP CGI) behind a JDK {@link HttpServer}, with HTTP Basic authentication whose password must be the
 * token of the repository. Clone, fetch and push really authenticate; a wrong or missing token gets 401, as from
 * GitHub. URLs look like {@code http://127.0.0.1:<port>/<owner>/<name>.git}.
 */
public final class GitHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Path root;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    private GitHttpServer(Path root) throws IOException {
        this.root = root;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static GitHttpServer start() {
        try {
            return new GitHttpServer(Files.createTempDirectory("agentry-git-http-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A bare repository {@code owner/name} whose {@code main} holds {@code files} in one commit, reachable only
     * with {@code token}.
     */
    public String createRepository(String owner, String name, String token, Map<String, String> files) {
        Path bare = bare(owner, name);
        Path work = root.resolve(".work").resolve(owner).resolve(name);
        try {
            TestGitRepository.createBare(work, bare, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tokens.put(owner + "/" + name, token);
        return url(owner, name);
    }

    public String url(String owner, String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + owner + "/" + name + ".git";
    }

    /** The host and port, as a setting that lists hosts (such as GitHub hosts) would name it. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The commit a branch points at in the remote, or null when the branch does not exist there. */
    public @Nullable String branchHead(String owner, String name, String branch) {
        Result result =
                run(bare(owner, name), List.of("git", "rev-parse", "--verify", "--quiet", "refs/heads/" + branch));
        return result.exitCode == 0 ? result.output.strip() : null;
    }

    /** Runs git in the bare repository ({@code log}, {@code show}, ...) and returns its output. */
    public String git(String owner, String name, String... args) {
        return git(bare(owner, name), args);
    }

    /** Requests refused for a missing or wrong token, as {@code METHOD path}. */
    public List<String> refusedRequests() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Path bare(String owner, String name) {
        return root.resolve(owner).resolve(name + ".git");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String[] parts = path.split("/");
            String repository = parts.length > 2 ? parts[1] + "/" + parts[2].replaceFirst("\\.git$", "") : "";
            String expected = tokens.get(repository);
            String user = authenticatedUser(exchange.getRequestHeaders().getFirst("Authorization"), expected);
            if (expected == null || user == null) {
                refused.add(exchange.getRequestMethod() + " " + path);
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"agentry-test-git\"");
                exchange.sendResponseHeaders(expected == null ? 404 : 401, -1);
                return;
            }
            cgi(exchange, path, user);
        }
    }

    private static @Nullable String authenticatedUser(@Nullable String header, @Nullable String token) {
        if (header == null || token == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded =
                new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(colon + 1).equals(token)) {
            return null;
        }
        return decoded.substring(0, colon).isEmpty() ? "git" : decoded.substring(0, colon);
    }

    private void cgi(HttpExchange exchange, String path, String user) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = builder.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", path);
        String query = exchange.getRequestURI().getRawQuery();
        env.put("QUERY_STRING", query == null ? "" : query);
        var headers = exchange.getRequestHeaders();
        if (headers.getFirst("Content-Type") != null) {
            env.put("CONTENT_TYPE", headers.getFirst("Content-Type"));
        }
        if (headers.getFirst("Content-Length") != null) {
            env.put("CONTENT_LENGTH", headers.getFirst("Content-Length"));
        }
        if (headers.getFirst("Content-Encoding") != null) {
            env.put("HTTP_CONTENT_ENCODING", headers.getFirst("Content-Encoding"));
        }
        if (headers.getFirst("Git-Protocol") != null) {
            env.put("GIT_PROTOCOL", headers.getFirst("Git-Protocol"));
        }
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream stdin = process.getOutputStream();
                    InputStream body = exchange.getRequestBody()) {
                body.transferTo(stdin);
            } catch (IOException e) {
                // the backend stopped reading: its answer says why
            }
        });
        InputStream stdout = process.getInputStream();
        int status = 200;
        String line;
        while (!(line = headerLine(stdout)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            stdout.transferTo(out);
        }
        try {
            writer.join();
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Result result = run(dir, argv);
        if (result.exitCode != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + result.output);
        }
        return result.output;
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Path dir, List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

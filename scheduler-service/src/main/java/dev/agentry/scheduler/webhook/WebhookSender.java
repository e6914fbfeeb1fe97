package dev.agentry.scheduler.webhook;

import dev.agentry.events.network.AddressPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Makes one HTTP attempt. It resolves the host, refuses the attempt if any address the name resolves to is refused
 * by the {@link AddressPolicy}, then connects to the address it checked (TLS still verifies the host name). No
 * redirects, no automatic retries, no cookies, no system proxy; the whole attempt is cut at the attempt timeout and
 * at most {@code responseBodyLimit} bytes of the answer are read.
 */
final class WebhookSender implements AutoCloseable {

    private final AddressPolicy policy;
    private final Duration attemptTimeout;
    private final int bodyLimit;
    private final Clock clock;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

    WebhookSender(AddressPolicy policy, WebhookProperties properties, Clock clock) {
        this.policy = policy;
        this.attemptTimeout = properties.attemptTimeout();
        this.bodyLimit = properties.responseBodyLimit();
        this.clock = clock;
        Timeout connect = Timeout.of(properties.connectTimeout());
        Timeout whole = Timeout.of(properties.attemptTimeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // Only reached if a target comes without its address; it applies the same policy.
                        .setDnsResolver(new CheckingResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(whole)
                                // A kept-alive connection the receiver closed while idle is checked before reuse, so
                                // the attempt is not lost to "the target server failed to respond".
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .setMaxConnTotal(1000)
                        .setMaxConnPerRoute(properties.maxConcurrentPerHost())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(whole)
                        .setConnectionRequestTimeout(connect)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Agentry-Webhooks/1")
                .build();
    }

    /** What the receiver answered, or why no answer came. */
    record Outcome(
            @Nullable Integer statusCode,
            long latencyMs,
            @Nullable String responseBody,
            @Nullable String error,
            @Nullable Duration retryAfter,
            boolean refused) {

        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        static Outcome refused(String why) {
            return new Outcome(null, 0, null, why, null, true);
        }
    }

    Outcome post(String url, Map<String, String> headers, byte[] body) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Outcome.refused("Refused: the callback URL is not a valid URI.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return Outcome.refused("Refused: the callback URL must be an absolute http or https URL.");
        }
        long start = System.nanoTime();
        InetAddress address;
        try {
            address = checkedAddress(policy, uri.getHost());
        } catch (RefusedAddressException e) {
            return Outcome.refused(e.getMessage());
        } catch (UnknownHostException e) {
            return failure(start, "DNS lookup of " + uri.getHost() + " failed.");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        HttpHost target = new HttpHost(scheme, address, uri.getHost(), port);
        HttpPost request = new HttpPost(uri);
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline =
                deadlines.schedule(request::cancel, attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(target, request, null);
        } catch (IOException e) {
            deadline.cancel(false);
            String why = request.isCancelled()
                    ? "No complete answer within " + attemptTimeout.toMillis() + " ms."
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            return failure(start, why);
        }
        try {
            int status = response.getCode();
            String answer;
            String note = null;
            try {
                answer = readCapped(response.getEntity(), request);
            } catch (IOException e) {
                // The status decides; a body that stalls or never ends is only cut, not held against the receiver.
                answer = null;
                note = request.isCancelled()
                        ? "The answer's body was cut at " + attemptTimeout.toMillis() + " ms."
                        : "The answer's body could not be read: " + e.getMessage();
            }
            return new Outcome(status, millisSince(start), answer, note, retryAfter(response), false);
        } finally {
            deadline.cancel(false);
            closeQuietly(response);
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // An aborted connection may fail to close; it is discarded either way.
        }
    }

    private Outcome failure(long start, String error) {
        return new Outcome(null, millisSince(start), null, error, null, false);
    }

    /**
     * Reads at most {@code bodyLimit} bytes. If the answer is longer, the connection is aborted rather than drained
     * (closing an unfinished body would otherwise read it to the end to keep the connection).
     */
    private @Nullable String readCapped(@Nullable HttpEntity entity, HttpPost request) throws IOException {
        if (entity == null) {
            return null;
        }
        InputStream in = entity.getContent();
        if (in == null) {
            return null;
        }
        byte[] bytes = in.readNBytes(bodyLimit);
        if (in.read() != -1) {
            request.cancel();
        }
        // PostgreSQL text refuses NUL; a receiver's bytes must never make the attempt unrecordable.
        return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
    }

    private @Nullable Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        return header == null ? null : parseRetryAfter(header.getValue(), clock.instant());
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when unreadable. */
    static @Nullable Duration parseRetryAfter(String value, Instant now) {
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Resolves a host and returns its first address, or refuses if any of its addresses is refused. */
    static InetAddress checkedAddress(AddressPolicy policy, String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = InetAddress.getAllByName(bare);
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedAddressException("Refused: " + host + " resolves to " + address.getHostAddress()
                        + ", which is " + refusal.get() + ".");
            }
        }
        return addresses[0];
    }

    static final class RefusedAddressException extends UnknownHostException {

        RefusedAddressException(String message) {
            super(message);
        }
    }

    private record CheckingResolver(AddressPolicy policy) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return new InetAddress[] {checkedAddress(policy, host)};
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}

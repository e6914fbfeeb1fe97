package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.network.AddressPolicy;
import dev.agentry.scheduler.webhook.WebhookSender.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against raw sockets that misbehave in ways an HTTP server library would not let us play. */
class WebhookSenderTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSender sender = new WebhookSender(
            new AddressPolicy(List.of("127.0.0.0/8")), properties(Duration.ofSeconds(1), 4096), Clock.systemUTC());
    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        sender.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void cutsAReceiverThatStreamsItsBodyForeverAtTheAttemptTimeoutAndKeepsItsStatus() throws IOException {
        String url = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
            for (int i = 0; i < 1000; i++) {
                write(out, "x");
                pause(Duration.ofMillis(50));
            }
        });

        Outcome outcome = sender.post(url, Map.of(), BODY);

        assertThat(outcome.statusCode()).isEqualTo(200);
        assertThat(outcome.error()).contains("cut at 1000 ms");
        assertThat(outcome.latencyMs()).isBetween(900L, 3000L);
    }

    @Test
    void givesUpOnAReceiverThatNeverAnswersAtTheAttemptTimeout() throws IOException {
        String url = serve(out -> pause(Duration.ofSeconds(10)));

        Outcome outcome = sender.post(url, Map.of(), BODY);

        assertThat(outcome.statusCode()).isNull();
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.latencyMs()).isLessThan(3000L);
    }

    @Test
    void readsNoMoreOfTheAnswerThanTheLimit() throws IOException {
        String url = serve(out -> {
            byte[] big = "y".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
            write(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + big.length + "\r\n\r\n");
            try {
                out.write(big);
            } catch (IOException e) {
                // The sender stops reading and closes: expected.
            }
        });

        Outcome outcome = sender.post(url, Map.of(), BODY);

        assertThat(outcome.statusCode()).isEqualTo(500);
        assertThat(outcome.responseBody()).hasSize(4096);
    }

    @Test
    void refusesUrlsThatAreNotHttp() {
        assertThat(sender.post("ftp://127.0.0.1/x", Map.of(), BODY).refused()).isTrue();
        assertThat(sender.post("file:///etc/passwd", Map.of(), BODY).refused()).isTrue();
        assertThat(sender.post("http://10.0.0.1/x", Map.of(), BODY).error()).contains("private");
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(WebhookSender.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(WebhookSender.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookSender.parseRetryAfter("soon", now)).isNull();
    }

    private String serve(Consumer<OutputStream> behaviour) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[8192]);
                behaviour.accept(socket.getOutputStream());
            } catch (IOException e) {
                // The sender hung up: that is what these tests provoke.
            }
        });
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The misbehaving receiver's own pacing, not a test waiting for something. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static WebhookProperties properties(Duration attemptTimeout, int bodyLimit) {
        return new WebhookProperties(
                true,
                "group",
                List.of(Duration.ZERO),
                0,
                attemptTimeout,
                Duration.ofMillis(500),
                bodyLimit,
                List.of("127.0.0.0/8"),
                Duration.ofHours(24),
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                8,
                Duration.ofSeconds(10),
                new WebhookProperties.CircuitBreaker(50, 20, Duration.ofSeconds(30)),
                Duration.ZERO,
                Duration.ofHours(24),
                Duration.ofDays(5));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"localhost", "127.0.0.1", "[::1]"})
    void refusesAHostNameThatResolvesToAForbiddenAddress(String host) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WebhookSender.checkedAddress(new AddressPolicy(List.of()), host))
                .isInstanceOf(WebhookSender.RefusedAddressException.class)
                .hasMessageContaining("loopback");
    }
}

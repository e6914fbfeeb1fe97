package dev.agentry.testkit.messages;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the scripted model servers keep between requests: the replies a test scripted, still to be given, and every
 * request received, with the ones that took from the script (the turns) apart. Its monitor guards all of it; a server
 * that needs more state kept in step synchronizes on it too.
 */
final class ReplyScript {

    private final Deque<ScriptedReply> replies = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<RecordedRequest> turns = new ArrayList<>();

    synchronized void add(ScriptedReply reply) {
        replies.addLast(reply);
    }

    synchronized void received(RecordedRequest request) {
        requests.add(request);
    }

    /** Notes {@code request} as a turn; whoever waits in {@link #awaitTurns} is woken. */
    synchronized void turn(RecordedRequest request) {
        turns.add(request);
        notifyAll();
    }

    /** The next scripted reply, or null when the script ran out. */
    synchronized @Nullable ScriptedReply next() {
        return replies.pollFirst();
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized List<RecordedRequest> turns() {
        return List.copyOf(turns);
    }

    synchronized int remaining() {
        return replies.size();
    }

    /**
     * Waits until at least {@code count} turns have arrived and returns them.
     *
     * @throws AssertionError when they do not arrive in time, listing what did arrive
     */
    synchronized List<RecordedRequest> awaitTurns(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (turns.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected %d conversation turns within %s but got %d; all requests: %s"
                        .formatted(count, timeout, turns.size(), summary(requests)));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for conversation turns.", e);
            }
        }
        return List.copyOf(turns);
    }

    static String summary(List<RecordedRequest> requests) {
        return requests.stream()
                .map(r -> r.method() + " " + r.path()
                        + (r.body() == null
                                ? ""
                                : " model=" + r.model() + " tools="
                                        + r.toolNames().size() + " max_tokens=" + r.maxTokens()))
                .toList()
                .toString();
    }
}

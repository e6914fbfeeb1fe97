package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskStatus;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * How one API family writes a task's event log as SSE, for {@link LogStreams}: seed 004's task stream, or seed
 * 002's mission frames. {@link LogStreams} owns the order (live subscription, history after {@code Last-Event-ID},
 * live entries without duplicates or gaps) and the connection's life; the format owns the bytes and when a stream
 * has said all it has to say.
 */
public interface StreamFormat {

    /** The first event, before any history; {@code resumed} when the client sent a {@code Last-Event-ID}. */
    void opening(SseEmitter emitter, TaskStatus status, boolean resumed) throws IOException;

    /** Writes one log entry (as zero, one or several events, each with {@code id: <seq>}). */
    void entry(SseEmitter emitter, LoggedEvent entry) throws IOException;

    /** Whether the stream ends after this entry; {@code replayed} when it came from the stored history. */
    boolean ends(LoggedEvent entry, boolean replayed);

    /** Whether the stream ends once the history is sent, given the status the task had at opening. */
    boolean endsAfterHistory(TaskStatus status);

    /** The last event: {@code last} is the entry that ended the stream, null when the status did. */
    void done(SseEmitter emitter, @Nullable LoggedEvent last, TaskStatus status) throws IOException;

    /** A reason the connection closes early ({@code overflow}, {@code timeout}, {@code unauthorized}). */
    void closing(SseEmitter emitter, String reason, Map<String, Object> details) throws IOException;
}

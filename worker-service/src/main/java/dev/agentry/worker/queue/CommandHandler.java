package dev.agentry.worker.queue;

import dev.agentry.events.codec.UndecodableMessageException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One kind of command the queue serves: its topic, how a record becomes a command, and how a command runs. A bean
 * implementing it gets {@link #slots()} queue slots of its own in the worker's share group, each with its own share
 * consumer on {@link #topic()}: one record acquired at a time, its acquisition lock renewed while {@link #run} runs,
 * accepted or released by the {@link Outcome}, and an undecodable record sent to {@code <topic>-dlt}. A worker that
 * dies stops renewing, and Kafka hands the record to another slot with a higher delivery count.
 *
 * <p>{@code task.run} on {@code agentry.task.commands} ({@code execution.TaskCommands}) and
 * {@code conversation.turn} on {@code agentry.conversation.commands} ({@code conversation.ConversationTurns}) are
 * such handlers; a further kind of command on its own topic needs only another bean.
 *
 * @param <C> the decoded command
 */
public interface CommandHandler<C> {

    /** The topic the commands come on; created with {@link #partitions()} (and its dead-letter topic) if missing. */
    String topic();

    /** Partitions of {@link #topic()} when the worker creates it. */
    int partitions();

    /**
     * The topics this kind of command is answered on, beside {@code agentry.task.events}, with their partitions:
     * created if missing before the first poll.
     */
    default Map<String, Integer> eventTopics() {
        return Map.of();
    }

    /** How many commands of this kind run at once on this worker: one slot, one share consumer each. */
    int slots();

    /**
     * Turns a record's value into a command.
     *
     * @throws UndecodableMessageException when it is not one: the record goes to the dead-letter topic
     */
    C decode(byte[] value);

    /**
     * Runs the command on a thread of its own to its end, while the slot keeps the record's lock. Long is fine.
     *
     * @return {@link Outcome#ACCEPT} when the command is done (also when it failed: its failure was reported), or
     *     {@link Outcome#RELEASE} to have Kafka deliver it again, to this worker or another
     */
    Outcome run(C command, Delivery delivery);

    /** The worker is stopping: end every running command at once; their {@link #run} returns RELEASE. */
    void abandonAll();

    /** What the slot does with the record after {@link #run}. */
    enum Outcome {
        ACCEPT,
        RELEASE
    }

    /**
     * How the record came.
     *
     * @param attempt the record's delivery count, 1 for its first delivery
     * @param traceparent the W3C trace context of the producer, if it sent one
     */
    record Delivery(int attempt, @Nullable String traceparent) {}
}

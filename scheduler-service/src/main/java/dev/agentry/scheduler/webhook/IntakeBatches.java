package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.conversation.ConversationNotice;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskStarted;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the scheduler's webhook intakes take a batch: applied whole, then one event at a time to find the record
 * that fails; a record that cannot decode, or that PostgreSQL refuses while it answers, is set aside in
 * {@code dead_letters} ({@link IntakeDeadLetters}) after bounded tries, and an outage is waited out. Shared by the
 * task-event and the conversation-notice intakes that {@link WebhookConfiguration} wires.
 */
final class IntakeBatches {

    private static final Logger log = LoggerFactory.getLogger(IntakeBatches.class);

    /** Tries of a record an intake names as the cause of a failed batch, before it is set aside. */
    static final int POISON_ATTEMPTS = 3;

    /** The task event (Kafka message) types that become webhooks; see {@link WebhookPayloads#eventTypes}. */
    private static final Set<String> WEBHOOK_TYPES =
            Set.of(TaskStarted.TYPE, TaskCompleted.TYPE, TaskFailed.TYPE, TaskPullRequestCreated.TYPE);

    /**
     * The intakes' error handler: the database away is waited out (every 2 s, without end; an outage never makes
     * dead letters); a record named as the cause ({@link BatchListenerFailedException}) is retried with the
     * stage's own backoff, or {@link #POISON_ATTEMPTS} times 500 ms apart, then set aside, and the partition moves
     * on.
     */
    static DefaultErrorHandler intakeErrors(
            String stage,
            IntakeDeadLetters deadLetters,
            java.util.function.BiFunction<ConsumerRecord<?, ?>, Exception, FixedBackOff> stageBackOff) {
        DefaultErrorHandler errors = new DefaultErrorHandler(
                (record, failure) -> deadLetters.setAside(
                        stage, record, IntakeDeadLetters.reason(failure), attemptsOf(failure, stageBackOff, record)),
                new FixedBackOff(500L, POISON_ATTEMPTS - 1));
        errors.setBackOffFunction((record, failure) -> {
            if (causedBy(failure, Outage.class)) {
                return new FixedBackOff(2000L, FixedBackOff.UNLIMITED_ATTEMPTS);
            }
            return stageBackOff.apply(record, failure);
        });
        return errors;
    }

    private static int attemptsOf(
            Exception failure,
            java.util.function.BiFunction<ConsumerRecord<?, ?>, Exception, FixedBackOff> stageBackOff,
            ConsumerRecord<?, ?> record) {
        FixedBackOff own = stageBackOff.apply(record, failure);
        return own == null ? POISON_ATTEMPTS : (int) own.getMaxAttempts() + 1;
    }

    /** The database does not answer, or the failure passes by itself: the batch waits, nothing is set aside. */
    static final class Outage extends RuntimeException {
        Outage(DataAccessException cause) {
            super("The database is unavailable", cause);
        }
    }

    static void onNotices(
            List<ConsumerRecord<String, byte[]>> records,
            MessageCodec codec,
            ConversationNoticeIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc) {
        List<Envelope<? extends ConversationNotice>> notices = new ArrayList<>(records.size());
        List<Integer> indices = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Envelope<?> envelope =
                    decodedOrSetAside(codec, deadLetters, IntakeDeadLetters.CONVERSATION_NOTICES, record);
            if (envelope == null) {
                continue;
            }
            if (envelope.payload() instanceof ConversationNotice) {
                @SuppressWarnings("unchecked")
                Envelope<? extends ConversationNotice> notice = (Envelope<? extends ConversationNotice>) envelope;
                notices.add(notice);
                indices.add(i);
            }
        }
        applyOrName(records, notices, indices, intake::accept, jdbc, "Conversation webhook intake");
    }

    /**
     * Applies the batch; when it fails while the database answers, applies it again one item at a time (the intakes
     * are idempotent) and names the first item that still fails to the error handler, which retries it a bounded
     * number of times and sets it aside. An unreachable database, or a failure that passes by itself, is an {@link
     * Outage}: the batch waits.
     */
    private static <T> void applyOrName(
            List<ConsumerRecord<String, byte[]>> records,
            List<T> items,
            List<Integer> indices,
            Consumer<List<T>> apply,
            JdbcClient jdbc,
            String stage) {
        try {
            apply.accept(items);
            return;
        } catch (TaskEventIntake.TaskNotYetVisibleException e) {
            throw e;
        } catch (RuntimeException batch) {
            if (outage(batch, jdbc)) {
                log.warn("{} cannot reach the database ({}); retrying.", stage, batch.getMessage());
                throw new BatchListenerFailedException(
                        "The database is unavailable", new Outage(asDataAccess(batch)), 0);
            }
            log.warn("{}: a batch of {} failed; applying it one at a time to find the cause.", stage, items.size());
        }
        for (int i = 0; i < items.size(); i++) {
            try {
                apply.accept(List.of(items.get(i)));
            } catch (TaskEventIntake.TaskNotYetVisibleException e) {
                throw e;
            } catch (RuntimeException failure) {
                if (outage(failure, jdbc)) {
                    throw new BatchListenerFailedException(
                            "The database is unavailable", new Outage(asDataAccess(failure)), 0);
                }
                ConsumerRecord<String, byte[]> record = records.get(indices.get(i));
                throw new BatchListenerFailedException(
                        "Record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                                + " cannot be processed",
                        failure,
                        indices.get(i));
            }
        }
    }

    /**
     * Only a record's own data can make it poison: a value or constraint PostgreSQL refuses (while it answers), or
     * a failure outside the database. Any other database failure (unreachable, a deadlock, a missing table) is
     * waited out, so that trouble with the database never turns good records into dead letters.
     */
    private static boolean outage(RuntimeException failure, JdbcClient jdbc) {
        if (!causedBy(failure, DataAccessException.class)) {
            return false;
        }
        if (!causedBy(failure, org.springframework.dao.DataIntegrityViolationException.class)) {
            return true;
        }
        try {
            return jdbc.sql("select 1").query(Integer.class).single() != 1;
        } catch (RuntimeException down) {
            return true;
        }
    }

    /** Retrying bytes that do not decode cannot help; the database away while storing the letter is an outage. */
    private static void setAsideUndecodable(
            IntakeDeadLetters deadLetters,
            String stage,
            ConsumerRecord<String, byte[]> record,
            UndecodableMessageException e) {
        try {
            deadLetters.setAside(stage, record, "Undecodable: " + e.getMessage(), 1);
        } catch (DataAccessException down) {
            throw new BatchListenerFailedException("The database is unavailable", new Outage(down), 0);
        }
    }

    private static DataAccessException asDataAccess(RuntimeException failure) {
        return failure instanceof DataAccessException data
                ? data
                : new org.springframework.dao.DataAccessResourceFailureException(failure.getMessage(), failure);
    }

    static void onBatch(
            List<ConsumerRecord<String, byte[]>> records,
            MessageCodec codec,
            TaskEventIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc) {
        List<Envelope<? extends TaskEvent>> events = new ArrayList<>(records.size());
        List<Integer> indices = new ArrayList<>(records.size());
        Map<UUID, Integer> positions = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Header type = record.headers().lastHeader(Headers.MESSAGE_TYPE);
            if (type != null && !WEBHOOK_TYPES.contains(new String(type.value(), StandardCharsets.UTF_8))) {
                continue;
            }
            Envelope<?> envelope = decodedOrSetAside(codec, deadLetters, IntakeDeadLetters.TASK_EVENTS, record);
            if (envelope == null) {
                continue;
            }
            if (envelope.payload() instanceof TaskEvent) {
                @SuppressWarnings("unchecked")
                Envelope<? extends TaskEvent> event = (Envelope<? extends TaskEvent>) envelope;
                events.add(event);
                indices.add(i);
                positions.putIfAbsent(event.id(), i);
            }
        }
        try {
            applyOrName(records, events, indices, intake::accept, jdbc, "Webhook intake");
        } catch (TaskEventIntake.TaskNotYetVisibleException e) {
            throw new BatchListenerFailedException(e.getMessage(), e, positions.get(e.eventId()));
        }
    }

    /** The record's envelope, or null once bytes that cannot decode are set aside (retrying them cannot help). */
    private static @Nullable Envelope<?> decodedOrSetAside(
            MessageCodec codec, IntakeDeadLetters deadLetters, String stage, ConsumerRecord<String, byte[]> record) {
        try {
            return codec.decode(record.value() == null ? new byte[0] : record.value());
        } catch (UndecodableMessageException e) {
            setAsideUndecodable(deadLetters, stage, record, e);
            return null;
        }
    }

    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private IntakeBatches() {}
}

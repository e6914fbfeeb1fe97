package dev.agentry.api.conversation;

import static dev.agentry.api.conversation.ConversationStatus.ACTIVE;
import static dev.agentry.api.conversation.ConversationStatus.ARCHIVED;
import static dev.agentry.api.conversation.ConversationStatus.BACKGROUND;
import static dev.agentry.api.conversation.ConversationStatus.WAITING_INPUT;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.InitialState;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.StopSchedule;
import dev.agentry.events.conversation.TurnAction;
import dev.agentry.events.schedule.CronSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every change of a conversation's status, schedule and state, as pure functions of the conversation and the
 * time. The rules (seed 003 and the notes on its source project):
 *
 * <ul>
 *   <li>PATCH accepts only {@code active} and {@code archived}. Archiving stops any schedule and drops a pending
 *       question; {@code active} brings an archived conversation back, and takes a background or waiting one back
 *       to plain chat (its schedule stopped, its question dropped).
 *   <li>Sending to an archived conversation is refused. A user message answering a pending question clears it and
 *       returns to {@code background} if a schedule exists, else {@code active}; this happens when the message is
 *       accepted, before the turn's actions, so a new question asked in the reply is kept (the source project
 *       applies the answer rule last and loses it).
 *   <li>A turn's actions apply in the order the model made them: {@code create_schedule} → {@code background} with
 *       the schedule and its next run; {@code needs_input} → {@code waiting_input} with the question (and a
 *       notification when a scheduled run asks); {@code state_update} merges data and sets the step;
 *       {@code notify} → a notification; {@code stop_schedule} → the schedule ends, {@code active} (or
 *       {@code waiting_input} while a question is pending). An archived conversation takes only state updates and
 *       notifications.
 *   <li>A one-time schedule ({@code scheduled}, {@code immediate}) ends with the run of its firing: back to
 *       {@code active} unless the run asked a question.
 * </ul>
 */
final class ConversationStateMachine {

    static final String ARCHIVED_SEND = "Cannot send messages to archived conversation";

    private ConversationStateMachine() {}

    /** A notification the change asks for, for the conversation's user. */
    record Notice(String title, String body) {}

    /** The conversation after a turn's actions, the notifications they ask for, and the actions refused. */
    record Outcome(Conversation conversation, List<Notice> notices, List<String> refused) {}

    static Conversation patch(Conversation c, ConversationStatus requested) {
        return switch (requested) {
            case ARCHIVED -> stopped(c).withQuestion(null).withStatus(ARCHIVED);
            case ACTIVE ->
                c.status() == ACTIVE ? c : stopped(c).withQuestion(null).withStatus(ACTIVE);
            case BACKGROUND, WAITING_INPUT ->
                throw new InvalidRequestException("invalid request", "Invalid status: must be active or archived");
        };
    }

    /** Back in the background after an answer, a cron schedule fires next after now, an immediate one now. */
    static Conversation userMessage(Conversation c, Instant now) {
        return switch (c.status()) {
            case ARCHIVED -> throw new InvalidRequestException("invalid request", ARCHIVED_SEND);
            case WAITING_INPUT -> {
                Conversation answered = c.withQuestion(null).withStatus(c.hasSchedule() ? BACKGROUND : ACTIVE);
                ScheduleSpec schedule = c.schedule();
                yield schedule == null || schedule.type().equals(ScheduleSpec.SCHEDULED)
                        ? answered
                        : answered.withNextRunAt(nextRun(schedule, now));
            }
            case ACTIVE, BACKGROUND -> c;
        };
    }

    static Outcome apply(Conversation start, List<TurnAction> actions, boolean scheduledRun, Instant now) {
        Conversation c = start;
        List<Notice> notices = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (TurnAction action : actions) {
            boolean archived = c.status() == ARCHIVED;
            switch (action) {
                case StateUpdate update -> c = merged(c, update);
                case Notify notify -> notices.add(new Notice(notify.title(), notify.body()));
                case CreateSchedule create
                when !archived -> {
                    try {
                        c = scheduled(c, create, now);
                    } catch (IllegalArgumentException e) {
                        refused.add(CreateSchedule.TOOL + ": " + e.getMessage());
                    }
                }
                case NeedsInput ask
                when !archived -> {
                    c = c.withQuestion(new PendingQuestion(ask.type(), ask.prompt(), ask.options()))
                            .withStatus(WAITING_INPUT);
                    if (scheduledRun) {
                        notices.add(new Notice(c.title(), ask.prompt()));
                    }
                }
                case StopSchedule stop
                when !archived -> c = stopped(c).withStatus(c.pendingQuestion() == null ? ACTIVE : WAITING_INPUT);
                default -> refused.add(action.getClass().getSimpleName() + ": the conversation is archived");
            }
        }
        return new Outcome(c, notices, refused);
    }

    /** After the run of a firing of {@code firedVersion}: a one-time schedule is done, unless it changed since. */
    static Conversation finishOneTime(Conversation c, int firedVersion) {
        ScheduleSpec schedule = c.schedule();
        if (schedule == null || schedule.type().equals(ScheduleSpec.CRON) || c.scheduleVersion() != firedVersion) {
            return c;
        }
        Conversation done = stopped(c);
        return done.status() == BACKGROUND ? done.withStatus(ACTIVE) : done;
    }

    /** The scheduler fired: a cron schedule's next run moves on; a one-time one has none left. */
    static Conversation fired(Conversation c, Instant now) {
        ScheduleSpec schedule = c.schedule();
        if (schedule == null) {
            return c;
        }
        return c.withNextRunAt(schedule.type().equals(ScheduleSpec.CRON) ? nextRun(schedule, now) : null);
    }

    static Conversation pause(Conversation c, Instant now) {
        requireBackground(c, "Can only pause background agents");
        return c.pausedAt() != null ? c : c.withSchedule(c.schedule(), now, null);
    }

    static Conversation resume(Conversation c, Instant now) {
        requireBackground(c, "Can only resume background agents");
        ScheduleSpec schedule = c.schedule();
        if (c.pausedAt() == null || schedule == null) {
            return c;
        }
        Instant next = nextRun(schedule, now);
        return c.withSchedule(schedule, null, next != null && next.isBefore(now) ? now : next);
    }

    static void requireRunnable(Conversation c) {
        requireBackground(c, "Can only run background agents");
    }

    /**
     * When a schedule next fires after {@code now}: cron by its expression in its zone, {@code scheduled} at its
     * instant, {@code immediate} now.
     *
     * @throws IllegalArgumentException for an invalid cron expression or time zone, naming the problem
     */
    static @Nullable Instant nextRun(ScheduleSpec schedule, Instant now) {
        return switch (schedule.type()) {
            case ScheduleSpec.CRON ->
                CronSchedule.parse(schedule.cronExpression(), schedule.timezone())
                        .nextAfter(now);
            case ScheduleSpec.SCHEDULED -> {
                if (schedule.runAt() == null) {
                    throw new IllegalArgumentException("A scheduled schedule needs run_at");
                }
                yield schedule.runAt();
            }
            case ScheduleSpec.IMMEDIATE -> now;
            default -> throw new IllegalArgumentException("Unknown schedule type: " + schedule.type());
        };
    }

    private static void requireBackground(Conversation c, String message) {
        if (c.status() != BACKGROUND || !c.hasSchedule()) {
            throw new InvalidRequestException("invalid request", message);
        }
    }

    private static Conversation stopped(Conversation c) {
        return c.hasSchedule() ? c.withSchedule(null, null, null) : c;
    }

    private static Conversation scheduled(Conversation c, CreateSchedule create, Instant now) {
        ScheduleSpec asked = create.schedule();
        ScheduleSpec spec = new ScheduleSpec(
                asked.type(),
                asked.cronExpression(),
                asked.timezone() == null || asked.timezone().isBlank() ? "UTC" : asked.timezone(),
                asked.runAt(),
                asked.task());
        Instant next = nextRun(spec, now);
        Conversation with = c.withSchedule(spec, null, next).withQuestion(null).withStatus(BACKGROUND);
        InitialState initial = create.initialState();
        if (initial == null) {
            return with;
        }
        return with.withState(
                initial.context() != null ? initial.context() : with.context(),
                initial.step() != null ? initial.step() : with.step(),
                initial.data() != null ? initial.data() : with.data());
    }

    private static Conversation merged(Conversation c, StateUpdate update) {
        Map<String, Object> data = new LinkedHashMap<>(c.data());
        data.putAll(update.data());
        return c.withState(c.context(), update.step() != null ? update.step() : c.step(), data);
    }
}

package dev.agentry.events.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Message;
import dev.agentry.events.conversation.ConversationCommand;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import dev.agentry.events.conversation.WaitingInput;
import dev.agentry.events.schedule.ScheduleCommand;
import dev.agentry.events.schedule.ScheduleFired;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCommand;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON wire form of every message: an envelope object whose {@code payload} is the message record, all in
 * snake_case. Message classes are found by their stable {@code type}, never by Java class name.
 */
public final class MessageCodec {

    private static final Map<String, Class<? extends Message>> TYPES = Map.ofEntries(
            Map.entry(RunTask.TYPE, RunTask.class),
            Map.entry(CancelTask.TYPE, CancelTask.class),
            Map.entry(RunIteration.TYPE, RunIteration.class),
            Map.entry(DeleteWorkspace.TYPE, DeleteWorkspace.class),
            Map.entry(CreatePullRequest.TYPE, CreatePullRequest.class),
            Map.entry(TaskStarted.TYPE, TaskStarted.class),
            Map.entry(TaskRunning.TYPE, TaskRunning.class),
            Map.entry(TaskOutput.TYPE, TaskOutput.class),
            Map.entry(TaskHeartbeat.TYPE, TaskHeartbeat.class),
            Map.entry(TaskCompleted.TYPE, TaskCompleted.class),
            Map.entry(TaskFailed.TYPE, TaskFailed.class),
            Map.entry(TaskPullRequestCreated.TYPE, TaskPullRequestCreated.class),
            Map.entry(TaskPullRequestFailed.TYPE, TaskPullRequestFailed.class),
            Map.entry(WorkspaceReported.TYPE, WorkspaceReported.class),
            Map.entry(WorkspaceRemoved.TYPE, WorkspaceRemoved.class),
            Map.entry(RunTurn.TYPE, RunTurn.class),
            Map.entry(TurnStarted.TYPE, TurnStarted.class),
            Map.entry(TurnDelta.TYPE, TurnDelta.class),
            Map.entry(TurnToolCalled.TYPE, TurnToolCalled.class),
            Map.entry(TurnCompleted.TYPE, TurnCompleted.class),
            Map.entry(TurnFailed.TYPE, TurnFailed.class),
            Map.entry(ScheduleFired.TYPE, ScheduleFired.class),
            Map.entry(MessageCreated.TYPE, MessageCreated.class),
            Map.entry(WaitingInput.TYPE, WaitingInput.class));

    private final JsonMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            // Costs are money: keep every digit and the scale as sent.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** The wire types this codec knows, for tests and tooling. */
    public static Map<String, Class<? extends Message>> types() {
        return TYPES;
    }

    public byte[] encode(Envelope<?> envelope) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", envelope.id().toString());
        node.put("type", envelope.type());
        node.put("aggregate_id", envelope.aggregateId().toString());
        node.put("tenant_id", envelope.tenantId());
        node.put("occurred_at", envelope.occurredAt().toString());
        node.put("schema_version", envelope.schemaVersion());
        node.set("payload", mapper.valueToTree(envelope.payload()));
        return mapper.writeValueAsBytes(node);
    }

    /**
     * The Kafka record that carries an envelope: keyed by its aggregate, so one aggregate's messages keep their
     * order on one partition, with the envelope's id and type copied into headers so routing needs no parse.
     *
     * @param traceparent the W3C trace context to carry on, or {@code null}
     */
    public ProducerRecord<String, byte[]> record(String topic, Envelope<?> envelope, @Nullable String traceparent) {
        var record = new ProducerRecord<>(topic, envelope.key(), encode(envelope));
        record.headers().add(Headers.MESSAGE_ID, utf8(envelope.id().toString()));
        record.headers().add(Headers.MESSAGE_TYPE, utf8(envelope.type()));
        if (traceparent != null) {
            record.headers().add(Headers.TRACEPARENT, utf8(traceparent));
        }
        return record;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an envelope.
     *
     * @throws UndecodableMessageException when the bytes are not an envelope, or name a type this codec does not
     *     know (a newer producer); consumers skip or dead-letter such records rather than retry them
     */
    public Envelope<?> decode(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            String type = node.required("type").asString();
            Class<? extends Message> payloadType = TYPES.get(type);
            if (payloadType == null) {
                throw new UndecodableMessageException("Unknown message type " + type);
            }
            return envelope(node, type, mapper.treeToValue(node.required("payload"), payloadType));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UndecodableMessageException("Not an Agentry message: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public Envelope<TaskEvent> decodeTaskEvent(byte[] bytes) {
        Envelope<?> envelope = decode(bytes);
        if (!(envelope.payload() instanceof TaskEvent)) {
            throw new UndecodableMessageException("Expected a task event, got " + envelope.type());
        }
        return (Envelope<TaskEvent>) envelope;
    }

    @SuppressWarnings("unchecked")
    public Envelope<TaskCommand> decodeTaskCommand(byte[] bytes) {
        Envelope<?> envelope = decode(bytes);
        if (!(envelope.payload() instanceof TaskCommand)) {
            throw new UndecodableMessageException("Expected a task command, got " + envelope.type());
        }
        return (Envelope<TaskCommand>) envelope;
    }

    @SuppressWarnings("unchecked")
    public Envelope<TaskControl> decodeTaskControl(byte[] bytes) {
        Envelope<?> envelope = decode(bytes);
        if (!(envelope.payload() instanceof TaskControl)) {
            throw new UndecodableMessageException("Expected a task control message, got " + envelope.type());
        }
        return (Envelope<TaskControl>) envelope;
    }

    public Envelope<ConversationCommand> decodeConversationCommand(byte[] bytes) {
        return decodeAs(bytes, ConversationCommand.class, "a conversation command");
    }

    public Envelope<ConversationEvent> decodeConversationEvent(byte[] bytes) {
        return decodeAs(bytes, ConversationEvent.class, "a conversation event");
    }

    public Envelope<ScheduleCommand> decodeScheduleCommand(byte[] bytes) {
        return decodeAs(bytes, ScheduleCommand.class, "a schedule command");
    }

    /**
     * Reads an envelope whose payload must be of {@code kind}.
     *
     * @throws UndecodableMessageException as {@link #decode(byte[])}, and when the payload is another kind
     */
    @SuppressWarnings("unchecked")
    public <T extends Message> Envelope<T> decodeAs(byte[] bytes, Class<T> kind, String description) {
        Envelope<?> envelope = decode(bytes);
        if (!kind.isInstance(envelope.payload())) {
            throw new UndecodableMessageException("Expected " + description + ", got " + envelope.type());
        }
        return (Envelope<T>) envelope;
    }

    /** The mapper the codec uses, for payload fragments such as {@link TaskOutput#data()}. */
    public JsonMapper mapper() {
        return mapper;
    }

    private static <T extends Message> Envelope<T> envelope(JsonNode node, String type, T payload) {
        return new Envelope<>(
                UUID.fromString(node.required("id").asString()),
                type,
                UUID.fromString(node.required("aggregate_id").asString()),
                node.required("tenant_id").asString(),
                Instant.parse(node.required("occurred_at").asString()),
                node.required("schema_version").asInt(),
                payload);
    }
}

package dev.agentry.events.conversation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A tool call the worker accepted, for the API to apply to the conversation. On the wire it is an object whose
 * {@code tool} property names the tool.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "tool")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CreateSchedule.class, name = CreateSchedule.TOOL),
    @JsonSubTypes.Type(value = NeedsInput.class, name = NeedsInput.TOOL),
    @JsonSubTypes.Type(value = StateUpdate.class, name = StateUpdate.TOOL),
    @JsonSubTypes.Type(value = Notify.class, name = Notify.TOOL),
    @JsonSubTypes.Type(value = StopSchedule.class, name = StopSchedule.TOOL)
})
public sealed interface TurnAction permits CreateSchedule, NeedsInput, StateUpdate, Notify, StopSchedule {}

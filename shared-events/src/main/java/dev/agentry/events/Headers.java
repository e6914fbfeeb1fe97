package dev.agentry.events;

/** Kafka record header names. The envelope's id and type are copied into headers so routing needs no parse. */
public final class Headers {

    public static final String MESSAGE_ID = "agentry-id";
    public static final String MESSAGE_TYPE = "agentry-type";
    /** W3C trace context, as OpenTelemetry propagates it. */
    public static final String TRACEPARENT = "traceparent";

    private Headers() {}
}

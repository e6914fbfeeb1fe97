package dev.agentry.events;

/**
 * A payload that travels inside an {@link Envelope}. Its {@link #type()} is the stable wire name (for example
 * {@code task.completed}), never a Java class name, so classes can be renamed without breaking consumers.
 */
public interface Message {

    String type();
}

package dev.agentry.worker.runtime;

import tools.jackson.databind.JsonNode;

/** Where a runtime reports progress; each call becomes a {@code task.output} event. */
@FunctionalInterface
public interface RuntimeListener {

    /**
     * @param category {@code cli} for plain output lines, {@code stream} for an agent's structured stream events
     * @param name what happened, such as {@code output}
     */
    void output(String category, String name, JsonNode data);
}

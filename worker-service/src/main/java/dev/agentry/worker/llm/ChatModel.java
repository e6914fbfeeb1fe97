package dev.agentry.worker.llm;

import java.util.function.Consumer;

/** One model call: a request in, the streamed text as it arrives, the complete answer out. */
public interface ChatModel extends AutoCloseable {

    /**
     * Calls the model once.
     *
     * @param text receives the assistant's text as it streams, in order
     * @throws ModelException when the API refused or failed the call
     */
    ModelResponse complete(ModelRequest request, Consumer<String> text);

    /** Releases the connections this model keeps between calls. */
    @Override
    void close();
}

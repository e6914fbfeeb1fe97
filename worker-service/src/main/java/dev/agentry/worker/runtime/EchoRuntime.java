package dev.agentry.worker.runtime;

import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Answers with the prompt: no workspace, no process, no model. For benchmarks of the platform itself and smoke
 * tests only; it measures Agentry's overhead, not an agent's.
 */
@Component
class EchoRuntime implements AgentRuntime {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public boolean needsWorkspace() {
        return false;
    }

    @Override
    public RuntimeOutcome run(RuntimeRequest request, RuntimeListener listener) {
        listener.output("cli", "output", JsonNodeFactory.instance.objectNode().put("line", request.prompt()));
        return RuntimeOutcome.completed(request.prompt());
    }
}

package dev.agentry.worker.runtime;

import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessSpec;
import dev.agentry.worker.sandbox.SandboxView;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs the configured command line ({@code agentry.worker.command.argv}) in the workspace, with {@code {prompt}}
 * and {@code {workspace}} replaced inside its elements. The prompt is one argument, never parsed by a shell unless
 * the template itself asks for one. Each stdout line becomes a {@code cli} output; a non-zero exit fails the task
 * with the last stderr lines.
 */
@Component
class CommandRuntime implements AgentRuntime {

    private final List<String> template;
    private final SandboxView view;

    CommandRuntime(WorkerProperties properties) {
        this.template = properties.command().argv();
        // The command needs no model endpoint: unless the operator says otherwise it gets no network at all.
        this.view = properties.command().network() ? SandboxView.NOTHING : SandboxView.offline();
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public boolean needsWorkspace() {
        return true;
    }

    @Override
    public RuntimeOutcome run(RuntimeRequest request, RuntimeListener listener) {
        if (template.isEmpty()) {
            throw new UnsupportedTaskException("the command runtime is not configured on this worker");
        }
        String workspace = request.directory().toString();
        List<String> argv = template.stream()
                .map(arg -> arg.replace("{workspace}", workspace).replace("{prompt}", request.prompt()))
                .toList();
        StringBuilder lastLine = new StringBuilder();
        ProcessResult result = request.processes()
                .with(view)
                .run(new ProcessSpec(argv, request.directory(), request.env(), false), line -> {
                    listener.output(
                            "cli",
                            "output",
                            JsonNodeFactory.instance.objectNode().put("line", line));
                    lastLine.setLength(0);
                    lastLine.append(line);
                });
        if (!result.succeeded()) {
            String tail = result.errorTail();
            return RuntimeOutcome.failed(
                    "command exited with " + result.exitCode() + (tail.isEmpty() ? "" : ": " + tail));
        }
        return RuntimeOutcome.completed(lastLine.toString());
    }
}

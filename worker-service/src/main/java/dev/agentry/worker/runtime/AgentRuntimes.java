package dev.agentry.worker.runtime;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The runtimes of this worker, by name. */
@Component
public class AgentRuntimes {

    private final Map<String, AgentRuntime> byName;

    public AgentRuntimes(List<AgentRuntime> runtimes) {
        this.byName = runtimes.stream().collect(Collectors.toUnmodifiableMap(AgentRuntime::name, Function.identity()));
    }

    /** @throws UnsupportedTaskException naming the runtime when there is none by that name */
    public AgentRuntime get(String name) {
        AgentRuntime runtime = byName.get(name);
        if (runtime == null) {
            throw new UnsupportedTaskException("unknown runtime " + name);
        }
        return runtime;
    }
}

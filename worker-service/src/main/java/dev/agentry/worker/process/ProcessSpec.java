package dev.agentry.worker.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process to start.
 *
 * @param argv the command line; never put a secret here, other users of the host can read it
 * @param directory the working directory
 * @param env variables added to the controlled base environment; the place for secrets
 * @param mergeStderr whether stderr lines are streamed with stdout (git) or only kept for the error message
 * @param inheritEnvironment whether {@code env} is added to the worker's short allow list of its own variables, or
 *     is the whole environment (a sandbox builds it from scratch)
 */
public record ProcessSpec(
        List<String> argv, Path directory, Map<String, String> env, boolean mergeStderr, boolean inheritEnvironment) {

    public ProcessSpec {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** A process whose environment is the worker's allow list plus {@code env}. */
    public ProcessSpec(List<String> argv, Path directory, Map<String, String> env, boolean mergeStderr) {
        this(argv, directory, env, mergeStderr, true);
    }

    @Override
    public String toString() {
        // env holds secrets: name the variables only.
        return "ProcessSpec[argv=" + argv + ", directory=" + directory + ", env=" + env.keySet() + "]";
    }
}

package dev.agentry.worker.sandbox;

import dev.agentry.worker.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bubblewrap ({@code bwrap}) sandbox per process: new user, PID, IPC, UTS and cgroup namespaces, every
 * capability dropped, a new session (no terminal injection into the worker's). The mount namespace holds the
 * system directories read-only, a fresh {@code /proc} of its own PID namespace (so {@code /proc/1} is the sandbox's
 * own init, never the worker), a minimal {@code /dev}, a private {@code /tmp}, and the run's view bound at its own
 * paths. Nothing else: not the workspace root with other tasks' workspaces, not the worker's installation, home or
 * configuration. The network namespace is the worker's when the view needs the network (the model endpoint, until
 * the egress proxy exists: see the README), otherwise one of its own with only a loopback.
 *
 * <p>The process tree stays the worker's to kill: {@code bwrap} and everything in the sandbox are descendants of
 * the process the scope started.
 */
final class BubblewrapSandbox implements Sandbox {

    /** System directories mounted read-only (or re-created as the symlinks they are on merged-/usr systems). */
    private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc");

    private final Path bwrap;
    private final List<Path> extraReadOnly;

    BubblewrapSandbox(Path bwrap, List<Path> extraReadOnly) {
        this.bwrap = bwrap;
        this.extraReadOnly = List.copyOf(extraReadOnly);
    }

    @Override
    public String name() {
        return "bubblewrap";
    }

    @Override
    public ProcessSpec confine(ProcessSpec spec, SandboxView view) {
        List<String> argv = new ArrayList<>(List.of(
                bwrap.toString(),
                "--unshare-user",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup-try",
                "--hostname",
                "agentry-sandbox",
                "--new-session",
                "--cap-drop",
                "ALL"));
        if (!view.network()) {
            argv.add("--unshare-net");
        }
        for (String dir : SYSTEM) {
            system(argv, Path.of(dir));
        }
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", SandboxEnvironment.HOME));
        for (Path path : extraReadOnly) {
            bind(argv, "--ro-bind-try", path);
        }
        for (Path path : view.readOnly()) {
            bind(argv, "--ro-bind", path);
        }
        for (Path path : view.writable()) {
            createDirectories(path);
            bind(argv, "--bind", path);
        }
        argv.addAll(List.of("--chdir", spec.directory().toAbsolutePath().toString(), "--"));
        argv.addAll(spec.argv());
        // bwrap hands its own environment to the program: the environment built here, none of the worker's.
        return new ProcessSpec(argv, spec.directory(), SandboxEnvironment.build(spec.env()), spec.mergeStderr(), false);
    }

    private static void system(List<String> argv, Path dir) {
        if (Files.isSymbolicLink(dir)) {
            try {
                argv.addAll(List.of("--symlink", Files.readSymbolicLink(dir).toString(), dir.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the system link " + dir, e);
            }
        } else if (Files.isDirectory(dir)) {
            argv.addAll(List.of("--ro-bind", dir.toString(), dir.toString()));
        }
    }

    private static void bind(List<String> argv, String option, Path path) {
        String absolute = path.toAbsolutePath().normalize().toString();
        argv.addAll(List.of(option, absolute, absolute));
    }

    private static void createDirectories(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the sandbox directory " + path, e);
        }
    }
}

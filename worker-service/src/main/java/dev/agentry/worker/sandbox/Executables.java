package dev.agentry.worker.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds programs the way a shell would, and what of the disk a sandbox must see to run one. */
public final class Executables {

    private Executables() {}

    /** The program {@code name} names: a path as it is, otherwise the first executable on the worker's PATH. */
    public static Optional<Path> find(String name) {
        if (name.contains("/")) {
            Path path = Path.of(name).toAbsolutePath();
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * The directories a sandbox binds read-only so that {@code name} runs inside: the one holding it and the one
     * holding the file it links to (an npm {@code .bin} entry points into its package). Empty for a program of the
     * system directories, which every sandbox sees anyway, and for one that is not found.
     */
    public static List<Path> installation(String name) {
        Optional<Path> program = find(name);
        if (program.isEmpty()) {
            return List.of();
        }
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(program.get().getParent());
        try {
            dirs.add(program.get().toRealPath().getParent());
        } catch (IOException e) {
            // A dangling link: the process fails to start, and says so.
        }
        List<Path> outside = new ArrayList<>();
        for (Path dir : dirs) {
            if (!dir.startsWith("/usr") && !dir.startsWith("/bin") && !dir.startsWith("/sbin")) {
                outside.add(dir);
            }
        }
        return outside;
    }
}

package dev.agentry.worker.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a process and everything it started: SIGTERM to the whole tree, SIGKILL to what is left after a grace. */
public final class ProcessTrees {

    private static final Logger log = LoggerFactory.getLogger(ProcessTrees.class);

    /**
     * Kills {@code root} and its descendants. The tree is listed before the first signal because children of a dead
     * parent are re-parented and can no longer be found from it.
     */
    public static void kill(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> tree = tree(root);
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        // Anything forked between the listing and the signal, or that ignored SIGTERM.
        Set<ProcessHandle> survivors = new LinkedHashSet<>();
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                survivors.addAll(tree(handle));
            }
        }
        if (!survivors.isEmpty()) {
            log.info("Killing {} processes of tree {} that outlived SIGTERM.", survivors.size(), root.pid());
            survivors.forEach(ProcessHandle::destroyForcibly);
            awaitExit(survivors, Duration.ofSeconds(5));
        }
    }

    private static Set<ProcessHandle> tree(ProcessHandle root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void awaitExit(Set<ProcessHandle> processes, Duration limit) {
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        for (ProcessHandle handle : processes) {
            exits.add(handle.onExit());
        }
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Survivors are dealt with by the caller.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ProcessTrees() {}
}

package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The log entries this instance receives on its broadcast subscription, for a feature that waits on a task's next
 * entry without holding a thread (create-pr waits on its outcome). Every instance receives every entry, whichever
 * instance projected it. Watchers are called on the live-feed thread and must return at once.
 */
@Component
public class LiveEntries {

    private static final Logger log = LoggerFactory.getLogger(LiveEntries.class);

    private final Map<UUID, Set<Consumer<LoggedEvent>>> watchers = new ConcurrentHashMap<>();

    /** A watch until closed. Watch first, then read the database, so no entry in between is missed. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    public Watch watch(UUID taskId, Consumer<LoggedEvent> watcher) {
        watchers.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(watcher);
        return () -> watchers.computeIfPresent(taskId, (id, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    void dispatch(LoggedEvent entry) {
        Set<Consumer<LoggedEvent>> set = watchers.get(entry.taskId());
        if (set == null) {
            return;
        }
        for (Consumer<LoggedEvent> watcher : set) {
            try {
                watcher.accept(entry);
            } catch (RuntimeException e) {
                log.warn("A watcher of task {} failed on entry {}.", entry.taskId(), entry.seq(), e);
            }
        }
    }
}

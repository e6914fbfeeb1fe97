package dev.agentry.api.mission;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskLogAppended;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Projects the end of each mission onto its session, from the task log entries the task projector committed. A
 * failure here must not disturb the task projector that announced them: it is logged, and the session takes the
 * end when it is next read ({@link MissionService} reconciles a session left in progress).
 */
@Component
class SessionProjection {

    private static final Logger log = LoggerFactory.getLogger(SessionProjection.class);

    private final MissionService missions;

    SessionProjection(MissionService missions) {
        this.missions = missions;
    }

    @EventListener
    void on(TaskLogAppended appended) {
        for (LoggedEvent entry : appended.entries()) {
            if (!entry.ends()) {
                continue;
            }
            try {
                missions.ended(entry);
            } catch (RuntimeException e) {
                log.warn("The end of task {} was not projected onto its session: {}", entry.taskId(), e.getMessage());
            }
        }
    }
}

package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskLogAppended;
import dev.agentry.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends freshly projected log entries to every API instance. Hears them once the projection has committed
 * ({@link TaskLogAppended}), so a subscriber never sees an entry the database does not have. A lost send only
 * delays a subscriber: the stream notices the gap in {@code seq} and reads the missing entries from the database.
 */
@Component
class LiveFeed {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    LiveFeed(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    @EventListener
    void publish(TaskLogAppended appended) {
        for (LoggedEvent entry : appended.entries()) {
            kafka.send(Topics.TASK_STREAM, entry.taskId().toString(), json.writeValueAsBytes(entry))
                    .whenComplete((result, failure) -> {
                        if (failure != null) {
                            log.warn(
                                    "Live entry {} of task {} was not sent: {}",
                                    entry.seq(),
                                    entry.taskId(),
                                    failure.getMessage());
                        }
                    });
        }
    }
}

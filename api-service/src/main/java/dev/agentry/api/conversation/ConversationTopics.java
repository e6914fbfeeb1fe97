package dev.agentry.api.conversation;

import dev.agentry.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The conversation topics, created if missing. Commands go to share-group workers, so one partition by default
 * (as for task commands); events and firings are keyed by conversation and spread over partitions.
 */
@Configuration(proxyBeanMethods = false)
class ConversationTopics {

    @Bean
    NewTopic conversationCommandsTopic(@Value("${agentry.kafka.command-partitions:1}") int partitions) {
        return TopicBuilder.name(Topics.CONVERSATION_COMMANDS)
                .partitions(partitions)
                .build();
    }

    @Bean
    NewTopic conversationEventsTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.CONVERSATION_EVENTS)
                .partitions(partitions)
                .build();
    }

    /** Read by the scheduler's webhook delivery; written by the API's outbox. */
    @Bean
    NewTopic conversationNoticesTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.CONVERSATION_NOTICES)
                .partitions(partitions)
                .build();
    }

    @Bean
    NewTopic scheduleFiringsTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.SCHEDULE_FIRINGS).partitions(partitions).build();
    }
}

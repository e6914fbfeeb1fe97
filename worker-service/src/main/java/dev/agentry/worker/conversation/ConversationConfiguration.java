package dev.agentry.worker.conversation;

import dev.agentry.worker.llm.LlmProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code agentry.worker.llm.*} for the conversation runtime. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
class ConversationConfiguration {}

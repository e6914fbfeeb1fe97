package dev.agentry.worker.git;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the repository settings the worker's git and the clone checks share. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RepositoryProperties.class)
class GitConfiguration {}

package dev.agentry.scheduler.jobrunr;

import dev.agentry.scheduler.SchedulerProperties;
import javax.sql.DataSource;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.spring.autoconfigure.JobRunrProperties;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class JobRunrConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JobRunrConfiguration.class);

    /**
     * JobRunr 8's mapper factory knows Jackson 2, Gson and JSON-B but not Jackson 3, which is what Spring Boot 4
     * brings; without this bean it would fail, or silently pick a Jackson 2 that some test dependency drags in.
     */
    @Bean
    JsonMapper jobRunrJsonMapper() {
        return new Jackson3JsonMapper();
    }

    /**
     * JobRunr's tables live in their own schema (see {@link SchedulerProperties#jobrunrSchema()}), which JobRunr
     * does not create itself. Replaces the starter's storage provider, which backs off when this bean exists.
     */
    @Bean(destroyMethod = "close")
    StorageProvider storageProvider(
            DataSource dataSource, JobMapper jobMapper, JobRunrProperties jobRunr, SchedulerProperties properties) {
        String schema = properties.jobrunrSchema();
        boolean create = !jobRunr.getDatabase().isSkipCreate();
        if (create) {
            // The name is validated against [a-z_][a-z0-9_]* by SchedulerProperties, so it is safe to inline.
            JdbcClient.create(dataSource)
                    .sql("create schema if not exists " + schema)
                    .update();
        }
        log.info("JobRunr keeps its tables in PostgreSQL schema {}.", schema);
        StorageProvider storage = SqlStorageProviderFactory.using(
                dataSource, schema + ".", create ? DatabaseOptions.CREATE : DatabaseOptions.SKIP_CREATE);
        storage.setJobMapper(jobMapper);
        return storage;
    }
}

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
import org.jspecify.annotations.Nullable;
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
     * Refuses an open dashboard: it can delete and requeue every job, so outside a laptop it needs the credentials
     * JobRunr's starter protects it with (HTTP Basic), or it is turned off.
     */
    @Bean
    DashboardAccess dashboardAccess(JobRunrProperties jobRunr, SchedulerProperties properties) {
        JobRunrProperties.Dashboard dashboard = jobRunr.getDashboard();
        boolean credentials = !isBlank(dashboard.getUsername()) && !isBlank(dashboard.getPassword());
        if (dashboard.isEnabled() && !credentials && !properties.dashboardAnonymous()) {
            throw new IllegalStateException("The JobRunr dashboard is on without credentials. Set"
                    + " jobrunr.dashboard.username and jobrunr.dashboard.password (JOBRUNR_DASHBOARD_USERNAME,"
                    + " JOBRUNR_DASHBOARD_PASSWORD), turn it off with jobrunr.dashboard.enabled=false, or, on a"
                    + " laptop, allow it open with agentry.scheduler.dashboard-anonymous=true.");
        }
        if (dashboard.isEnabled() && !credentials) {
            log.warn(
                    "The JobRunr dashboard on port {} is open to anyone who can reach it"
                            + " (agentry.scheduler.dashboard-anonymous=true).",
                    dashboard.getPort());
        }
        return new DashboardAccess(dashboard.isEnabled(), credentials);
    }

    /** How the dashboard is reachable, as decided at startup. */
    record DashboardAccess(boolean enabled, boolean needsCredentials) {}

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
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

package dev.agentry.scheduler;

import dev.agentry.testkit.TestDatabase;
import org.flywaydb.core.Flyway;

/**
 * The API's real schema for scheduler tests: api-service's Flyway migrations, which the build puts on this module's
 * test class path ({@code db/migration}, see the pom), applied by Flyway as the API applies them. No copy of a table
 * can drift from what the API creates, and the contract views the scheduler reads come from the same files.
 */
public final class ApiSchema {

    /** Applies every API migration to the (fresh) database. */
    public static void migrate(TestDatabase.Database database) {
        Flyway.configure()
                .dataSource(database.url(), database.username(), database.password())
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    private ApiSchema() {}
}

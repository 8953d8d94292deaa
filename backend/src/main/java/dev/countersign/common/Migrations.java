package dev.countersign.common;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Schema migrations, module by module. The core (this jar: requests, votes, grants, audit,
 * event publications) lives in {@code classpath:db/core} with Flyway's usual history table; every other
 * module brings a {@link ModuleMigrations} bean and gets a history of its own, migrated right
 * after the core (its tables may reference the core's) and before JPA or any job starts.
 */
@Configuration(proxyBeanMethods = false)
public class Migrations {

    static final String CORE = "classpath:db/core";

    @Bean
    FlywayConfigurationCustomizer coreMigrationsLocation() {
        // Databases from 0.1.0 snapshots list the Slack and Camunda migrations (then V4, V6) in the core history;
        // those now live in their modules' histories, so the core does not miss them.
        return configuration -> configuration.locations(CORE).ignoreMigrationPatterns("*:missing");
    }

    @Bean
    FlywayMigrationStrategy moduleMigrationsAfterTheCore(List<ModuleMigrations> modules) {
        return core -> {
            core.migrate();
            for (ModuleMigrations module : modules) {
                Flyway.configure(core.getConfiguration().getClassLoader())
                        .configuration(core.getConfiguration())
                        .locations(module.location())
                        .table(module.historyTable())
                        // The core's tolerance of its moved-out scripts is not the modules': they miss nothing.
                        .ignoreMigrationPatterns("*:future")
                        // The schema already holds the core's (and Flowable's) tables: start this history at 0.
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
            }
        };
    }
}

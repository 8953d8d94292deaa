package dev.countersign.common;

/**
 * A Maven module's own Flyway migrations: its own location and its own history table
 * ({@code flyway_history_<module>}), so each module numbers its versions from 1 without
 * interleaving with any other jar's. Declare one as a bean; {@link Migrations} runs them after
 * the core's, before anything uses the database.
 *
 * @param module   a short name, used in the history table's name: letters, digits, underscores
 * @param location where the scripts are, e.g. {@code classpath:db/slack}
 */
public record ModuleMigrations(String module, String location) {

    public ModuleMigrations {
        if (!module.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("module name must be lower-case letters, digits and underscores: " + module);
        }
    }

    String historyTable() {
        return "flyway_history_" + module;
    }
}

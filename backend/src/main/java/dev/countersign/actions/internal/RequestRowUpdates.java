package dev.countersign.actions.internal;

import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Updates of {@code action_request} rows in plain SQL, beside the JPA entity that reads them. Not
 * JPQL bulk updates: Hibernate translated those to SQL again on every call, about half of what
 * deciding cost apart from the grant (JFR, votes on the jar). As {@code @Modifying(flushAutomatically,
 * clearAutomatically)} did, pending JPA changes are written first and the persistence context is
 * cleared after, so that a later read in the same transaction sees the updated row.
 */
@Component
class RequestRowUpdates {

    private final EntityManager entities;
    private final JdbcClient jdbc;

    RequestRowUpdates(EntityManager entities, JdbcClient jdbc) {
        this.entities = entities;
        this.jdbc = jdbc;
    }

    /** Runs the update inside the caller's transaction; returns how many rows it changed. */
    int update(String sql, Object... params) {
        entities.flush();
        int changed = jdbc.sql(sql).params(params).update();
        entities.clear();
        return changed;
    }
}

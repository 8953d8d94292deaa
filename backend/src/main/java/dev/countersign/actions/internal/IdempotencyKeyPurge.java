package dev.countersign.actions.internal;

import dev.countersign.actions.ActionsProperties;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets Idempotency-Keys after the retention (at least 24 h). Several instances may purge at
 * once: deleting rows that are already gone is harmless.
 */
@Component
class IdempotencyKeyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private final JdbcClient jdbc;
    private final ActionsProperties properties;
    private final Clock clock;

    IdempotencyKeyPurge(JdbcClient jdbc, ActionsProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${countersign.actions.purge-every:1h}", initialDelayString = "${countersign.actions.purge-every:1h}")
    int purge() {
        int purged = jdbc.sql("delete from idempotency_key where created_at < ?")
                .param(Timestamp.from(clock.instant().minus(properties.idempotencyRetention())))
                .update();
        if (purged > 0) {
            log.info("Purged {} Idempotency-Key(s) older than {}", purged, properties.idempotencyRetention());
        }
        return purged;
    }
}

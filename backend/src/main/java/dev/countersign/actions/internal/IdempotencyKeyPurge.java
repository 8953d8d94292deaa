package dev.countersign.actions.internal;

import dev.countersign.actions.ActionsProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets Idempotency-Keys after the retention (at least 24 h). Several instances may purge at
 * once: deleting rows that are already gone is harmless.
 */
@Component
class IdempotencyKeyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

    private final ActionRequestRepository store;
    private final ActionsProperties properties;
    private final Clock clock;

    IdempotencyKeyPurge(ActionRequestRepository store, ActionsProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${countersign.actions.purge-every:1h}", initialDelayString = "${countersign.actions.purge-every:1h}")
    int purge() {
        int purged = store.forgetKeysBefore(clock.instant().minus(properties.idempotencyRetention()));
        if (purged > 0) {
            log.info("Purged {} Idempotency-Key(s) older than {}", purged, properties.idempotencyRetention());
        }
        return purged;
    }
}

package dev.countersign.actions.internal;

import dev.countersign.actions.ActionRequestsPurged;
import dev.countersign.actions.ActionsProperties;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes decided requests older than {@code countersign.actions.decided-retention} (off by default;
 * the embedded default keeps a week, so a database tried out for days does not grow without end),
 * a batch per transaction: {@link ActionRequestsPurged} first, so that every module deletes its
 * rows about them, then the requests' own (their votes and grants among them). Pending requests are never touched; the audit log keeps
 * its entries.
 */
@Component
class RequestRetention {

    private static final Logger log = LoggerFactory.getLogger(RequestRetention.class);
    static final int BATCH = 500;

    private final ActionRequestRepository store;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final ActionsProperties properties;
    private final Clock clock;
    private final dev.countersign.grants.Grants grants;

    RequestRetention(ActionRequestRepository store, ApplicationEventPublisher events, TransactionTemplate tx,
                     ActionsProperties properties, Clock clock, dev.countersign.grants.Grants grants) {
        this.grants = grants;
        this.store = store;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${countersign.actions.purge-every:1h}", initialDelayString = "${countersign.actions.purge-every:1h}")
    void scheduled() {
        try {
            purge();
        } catch (DataAccessException unavailable) {
            // The database is away or busy: the next turn purges what this one could not.
        }
    }

    /** @return how many requests were deleted */
    int purge() {
        if (properties.decidedRetention() == null) {
            return 0;
        }
        java.time.Instant before = clock.instant().minus(properties.decidedRetention());
        int purged = 0;
        int batch;
        do {
            batch = tx.execute(status -> {
                List<String> ids = store.decidedBefore(before, BATCH);
                if (ids.isEmpty()) {
                    return 0;
                }
                events.publishEvent(new ActionRequestsPurged(ids));
                grants.forget(ids);
                return store.purge(ids);
            });
            purged += batch;
        } while (batch == BATCH);
        if (purged > 0) {
            log.info("Deleted {} decided request(s) older than {} (countersign.actions.decided-retention); the audit log keeps their entries",
                    purged, properties.decidedRetention());
        }
        return purged;
    }
}

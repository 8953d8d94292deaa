package dev.countersign.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers again what the event publication registry holds unfinished: a durable listener
 * ({@code @ApplicationModuleListener}) that failed, or whose instance died between the commit and the end of its run.
 * Runs at start-up and then on a schedule, on every instance, a batch at a time, oldest first, and only publications
 * older than {@code redeliver-after}, so that one still running after its commit is not raced for nothing.
 * Listeners are idempotent (each claims its work in its own transaction), so a delivery made twice does its work once.
 */
@Component
public class EventRedelivery {

    /** Per run: a backlog (the engine away for an hour) drains in order without every run taking all of it. */
    static final int BATCH = 100;

    private final IncompleteEventPublications incomplete;
    private final Clock clock;
    private final Duration after;

    EventRedelivery(IncompleteEventPublications incomplete, Clock clock,
                    @Value("${countersign.events.redeliver-after:5s}") Duration after) {
        this.incomplete = incomplete;
        this.clock = clock;
        this.after = after;
    }

    @Scheduled(fixedDelayString = "${countersign.events.redeliver-every:2s}")
    void redeliver() {
        redeliverPublishedBefore(clock.instant().minus(after));
    }

    /** Delivers again (asynchronously, as the first time) up to a batch of what was published before the instant. */
    public void redeliverPublishedBefore(Instant before) {
        var left = new AtomicInteger(BATCH);
        incomplete.resubmitIncompletePublications(
                publication -> publication.getPublicationDate().isBefore(before) && left.getAndDecrement() > 0);
    }
}

package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.Channel;
import dev.countersign.actions.DecidedBy;
import dev.countersign.actions.Vote;
import dev.countersign.common.AfterCommit;
import dev.countersign.common.CachedReading;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The requests' service-level indicators (docs/operations.md, "Metrics"): asks by tool, rule and outcome, what waits for
 * people now, how long people took, expiries and votes. Counted after the transaction that stored them commits, so a
 * rolled-back ask counts nothing. Every label is bounded: tools are the catalog's (an unknown tool is refused before it is
 * stored) by their catalog entry's name (a glob such as {@code payments.*} is one label however agents spell the tools it
 * covers), rules the policy's, the rest enums; never a request id or an argument.
 */
@Component
class RequestMeters {

    /** The pending gauges read the database at most this often, however often they are scraped. */
    private static final Duration PENDING_FRESHNESS = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final Set<String> pendingRules = ConcurrentHashMap.newKeySet();
    private final CachedReading<Map<String, Long>> pending;

    private final dev.countersign.catalog.ToolCatalog catalog;

    RequestMeters(MeterRegistry meters, ActionRequestRepository requests, dev.countersign.catalog.ToolCatalog catalog) {
        this.catalog = catalog;
        this.meters = meters;
        this.pending = new CachedReading<>("Pending requests", PENDING_FRESHNESS, requests::pendingByRule, Map.of());
    }

    /** A stored ask: allowed or denied at once, or sent to people under its rule. */
    @EventListener
    void asked(dev.countersign.actions.ActionRequested asked) {
        String tool = catalog.entryName(asked.tool());
        ActionStatus outcome = asked.status();
        String ruleLabel = label(asked.rule());
        AfterCommit.run(() -> {
            Counter.builder("countersign.requests.asked").description("Stored asks, by tool, policy rule and outcome at ask time")
                    .tag("tool", tool).tag("rule", ruleLabel).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(meters).increment();
            if (outcome == ActionStatus.PENDING) {
                pending.stale();
                waitsUnder(ruleLabel);
            }
        });
    }

    /** A request that waited for people was decided ({@code via}: the channel of the deciding vote, else null). */
    void decided(String rule, Instant created, Instant decided, ActionStatus outcome, DecidedBy by, Channel via) {
        String ruleLabel = label(rule);
        AfterCommit.run(() -> {
            Timer.builder("countersign.requests.decision")
                    .description("From ask to decision of requests that waited for people, by rule, outcome, who decided and channel")
                    .tag("rule", ruleLabel).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .tag("decided_by", by.name().toLowerCase(Locale.ROOT))
                    .tag("channel", via == null ? "none" : via.name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(1))
                    .register(meters).record(Duration.between(created, decided));
            if (by == DecidedBy.TIMEOUT) {
                Counter.builder("countersign.requests.expired").description("Requests nobody decided before their approval expired")
                        .tag("rule", ruleLabel).register(meters).increment();
            }
            pending.stale();
        });
    }

    @EventListener
    void voted(dev.countersign.actions.VoteCast cast) {
        Vote vote = cast.vote();
        Channel via = cast.via();
        AfterCommit.run(() -> Counter.builder("countersign.votes").description("Votes counted, by vote and channel")
                .tag("vote", vote.name().toLowerCase(Locale.ROOT)).tag("channel", via.name().toLowerCase(Locale.ROOT))
                .register(meters).increment());
    }

    /** A gauge for every rule that has requests waiting now, so a restarted instance reports them before any new ask. */
    @EventListener(ApplicationReadyEvent.class)
    void gaugeWaitingRules() {
        pending.get().keySet().forEach(this::waitsUnder);
    }

    private void waitsUnder(String rule) {
        if (pendingRules.add(rule)) {
            Gauge.builder("countersign.requests.pending", () -> pending.get().getOrDefault(rule, 0L))
                    .description("Requests waiting for people now, by rule (every instance reports the same database's count)")
                    .tag("rule", rule).register(meters);
        }
    }

    private static String label(String rule) {
        return rule == null || rule.isBlank() ? "none" : rule;
    }
}

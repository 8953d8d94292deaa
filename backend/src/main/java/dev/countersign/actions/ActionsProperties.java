package dev.countersign.actions;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.actions.*}.
 *
 * @param denialCooldown       an action DENIED or EXPIRED this recently is denied again at once, without asking anyone
 * @param idempotencyRetention how long an Idempotency-Key is remembered (at least 24 h: agents retry across restarts)
 * @param replayWindow         an identical ask (same agent and actionHash, any Idempotency-Key) this soon after people
 *                             approved the action joins that approved request instead of asking again (its grant is
 *                             single-use: a second run is refused where it is redeemed); {@code "repeat": true} asks anew
 * @param decidedRetention     how long a decided request (and its votes, grant, notices) is kept after its decision;
 *                             empty: for ever (the production default). At least the idempotency retention and a day,
 *                             so that replays and policies reading a day's history still find them
 */
@ConfigurationProperties("countersign.actions")
public record ActionsProperties(@DefaultValue("15m") Duration denialCooldown,
                                @DefaultValue("24h") Duration idempotencyRetention,
                                @DefaultValue("15m") Duration replayWindow,
                                Duration decidedRetention) {

    public ActionsProperties {
        if (decidedRetention != null && (decidedRetention.compareTo(idempotencyRetention) < 0
                || decidedRetention.compareTo(Duration.ofDays(1)) < 0)) {
            throw new IllegalArgumentException("countersign.actions.decided-retention must be at least a day and at least "
                    + "countersign.actions.idempotency-retention (" + idempotencyRetention + "): a retry with a remembered key "
                    + "must find its request, not " + decidedRetention);
        }
        if (idempotencyRetention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("countersign.actions.idempotency-retention must be at least 24h: "
                    + "agents retry across restarts and a forgotten key would let a retry ask twice");
        }
    }
}

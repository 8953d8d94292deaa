package dev.countersign.actions;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.actions.*}.
 *
 * @param denialCooldown       an action DENIED or EXPIRED this recently is denied again at once, without asking anyone
 * @param idempotencyRetention how long an Idempotency-Key is remembered (at least 24 h: agents retry across restarts)
 */
@ConfigurationProperties("countersign.actions")
public record ActionsProperties(@DefaultValue("15m") Duration denialCooldown,
                                @DefaultValue("24h") Duration idempotencyRetention) {

    public ActionsProperties {
        if (idempotencyRetention.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("countersign.actions.idempotency-retention must be at least 24h: "
                    + "agents retry across restarts and a forgotten key would let a retry ask twice");
        }
    }
}

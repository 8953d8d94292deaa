package dev.countersign.approvals;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.approvals.*}. {@code fatigue}: an approver who approved {@code approvals} requests within
 * {@code within} must say in a comment why the next one is right (0 switches the guard off): a pause against
 * approving by habit.
 */
@ConfigurationProperties("countersign.approvals")
public record ApprovalsProperties(@DefaultValue Fatigue fatigue) {

    public record Fatigue(@DefaultValue("10") int approvals, @DefaultValue("10m") Duration within) {

        public boolean enabled() {
            return approvals > 0;
        }
    }
}

package dev.countersign.policy;

import java.time.Duration;

/**
 * How far a rule lets approvers stand behind "this and the next ones like it": a standing
 * approval under it lasts at most {@code maxAge} and counts at most {@code maxUses} asks (null:
 * no cap of the rule's own beyond the approvers' terms). A rule without one allows none.
 */
public record StandingCap(Duration maxAge, Integer maxUses) {
}

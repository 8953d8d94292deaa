package dev.countersign.actions;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the grant of an approved request is read from when its agent reads the request. The
 * grants module issues grants (reacting to {@link ActionDecided}) and implements this.
 */
public interface GrantSource {

    Optional<ActionRequest.Grant> grantOf(String requestId);

    /**
     * Whether the approved request's grant has run its action (redeemed) or still can (neither expired nor revoked):
     * an approval whose grant lapsed unused is over, and an identical ask is asked anew rather than joining it. Without
     * knowledge of redemptions: while it has not expired.
     */
    default boolean ranOrCanRun(String requestId, Instant now) {
        return grantOf(requestId).map(grant -> grant.expiresAt().isAfter(now)).orElse(false);
    }
}

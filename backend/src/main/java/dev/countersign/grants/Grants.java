package dev.countersign.grants;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Issuing and reading the grants of approved requests. The actions module decides; in the same
 * transaction it asks for the one grant of an approval here, and attaches it to the answer of the
 * agent that asked. Grants knows nothing of requests beyond their id and binding.
 */
public interface Grants {

    /**
     * Signs and stores the request's grant in the caller's transaction, which must be the deciding one: the grant
     * exists exactly when the approval commits, and a second grant for the same request fails the whole transaction.
     */
    Grant issue(GrantSubject subject);

    /** The request's grant, if it was approved. */
    Optional<Grant> of(String requestId);

    /**
     * Whether the request's grant has run its action (redeemed) or still can (neither expired nor revoked): an approval
     * whose grant lapsed unused is over, and an identical ask is asked anew rather than joining it.
     */
    boolean ranOrCanRun(String requestId, Instant now);

    /** The grants of purged requests go with them: decided long ago, they expired long ago. */
    void forget(Collection<String> requestIds);
}

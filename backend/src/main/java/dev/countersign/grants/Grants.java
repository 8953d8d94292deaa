package dev.countersign.grants;

import java.util.Optional;

/** Issues the grant of an approved request (at most one per request) and finds it again. */
public interface Grants {

    /** Joins the caller's transaction: the grant exists exactly when the approval committed. */
    IssuedGrant issue(GrantSubject subject);

    Optional<IssuedGrant> forRequest(String requestId);

    /** What a grant is bound to. */
    record GrantSubject(String requestId, String agent, String tool, String actionHash) {
    }
}

package dev.countersign.grants.internal;

/** Private claims of a grant, named in the agent API contract. */
final class GrantClaims {

    static final String REQUEST = "req";
    static final String ACTION_HASH = "ahs";

    private GrantClaims() {
    }
}

package dev.countersign.grants.internal;

/** Private claims of a grant, named in the agent API contract. */
final class GrantClaims {

    static final String REQUEST = "req";
    static final String ACTION_HASH = "ahs";
    /** The agents of the delegation chain the request came down, root first; absent when nobody delegated. */
    static final String CHAIN = "chn";

    private GrantClaims() {
    }
}

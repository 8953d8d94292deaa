package dev.countersign.grants;

/**
 * Redeems grants for a tool gateway inside Countersign (the MCP gateway): the service behind
 * {@code POST /api/v1/grants/redeem}. A refusal is the same {@link dev.countersign.common.ApiProblem}
 * the API answers with ({@code grant_invalid}, {@code grant_already_redeemed}).
 */
public interface GrantRedeemer {

    /** Redeems once; of any number of concurrent tries exactly one returns, on every instance. */
    Redeemed redeem(String grant, String actionHash, String gateway);

    /**
     * Redeems the grant Countersign issued for this request, for a gateway inside Countersign that
     * read it from Countersign (never from the agent): the same binding, expiry, switch and
     * single-use checks, without verifying a signature nobody outside could have forged.
     */
    Redeemed redeemIssued(String requestId, String actionHash, String gateway);

    record Redeemed(String requestId, String agent, String tool, String actionHash) {
    }
}

package dev.countersign.console;

import java.util.Map;

/** Audit entry types in words people read. */
final class Timeline {

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("action.requested", "Requested"),
            Map.entry("action.coalesced", "Asked again (joined this request)"),
            Map.entry("policy.evaluated", "Policy evaluated"),
            Map.entry("approvers.notified", "Approvers notified"),
            Map.entry("approvers.reminded", "Approvers reminded"),
            Map.entry("vote.cast", "Vote cast"),
            Map.entry("action.decided", "Decided"),
            Map.entry("grant.issued", "Grant issued"),
            Map.entry("grant.redeemed", "Grant redeemed"),
            Map.entry("grant.redeem_refused", "Grant redemption refused"),
            Map.entry("action.refused", "Refused"),
            Map.entry("gateway.forwarded", "Run through the MCP gateway"),
            Map.entry("gateway.upstream_error", "The MCP server answered with an error"),
            Map.entry("gateway.upstream_failed", "The MCP server failed during the call"),
            Map.entry("gateway.refused", "The MCP gateway refused to run it"),
            Map.entry("gateway.wait_stopped", "The waiting MCP call stopped waiting (the request stayed)"));

    private Timeline() {
    }

    static String describe(String type) {
        return WORDS.getOrDefault(type, type);
    }
}

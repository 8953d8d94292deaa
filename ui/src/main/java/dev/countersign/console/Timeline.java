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
            Map.entry("action.refused", "Refused"));

    private Timeline() {
    }

    static String describe(String type) {
        return WORDS.getOrDefault(type, type);
    }
}

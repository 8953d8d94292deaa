package dev.countersign.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A request as Countersign answers it to the agent that asked (docs/api.md §1): the fields a client acts on. */
public record ActionRequest(String id, String status, String tool, String actionHash, Map<String, Object> arguments,
                            Decision decision, Approval approval, Grant grant) {

    public boolean pending() {
        return "PENDING".equals(status);
    }

    public boolean approved() {
        return "APPROVED".equals(status);
    }

    /** Who decided, by which rule and why: {@code by} is POLICY, APPROVERS, STANDING_APPROVAL, TIMEOUT, AGENT or ADMIN. */
    public record Decision(String by, String rule, String reason, List<Map<String, Object>> votes) {
    }

    public record Approval(List<String> approvers, int quorum, Instant expiresAt) {
    }

    /** Single use, short-lived, bound to this agent, tool and actionHash. */
    public record Grant(String token, Instant expiresAt) {
    }
}

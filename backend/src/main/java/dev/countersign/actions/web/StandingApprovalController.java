package dev.countersign.actions.web;

import dev.countersign.actions.StandingApproval;
import dev.countersign.actions.StandingApprovals;
import dev.countersign.identity.Callers;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/standing-approvals} (approvers): the standing approvals of the rules an approver
 * approves under (all of them for admins), and revoking one, which any approver of its rule may do.
 */
@RestController
class StandingApprovalController {

    private final StandingApprovals standing;
    private final Callers callers;

    StandingApprovalController(StandingApprovals standing, Callers callers) {
        this.standing = standing;
        this.callers = callers;
    }

    record Revocation(String comment) {
    }

    @GetMapping("/api/v1/standing-approvals")
    Map<String, List<StandingApproval>> list(@RequestParam(defaultValue = "true") boolean active) {
        return Map.of("items", standing.visibleTo(callers.requireApprover(), active));
    }

    @PostMapping(path = "/api/v1/standing-approvals/{id}/revoke", consumes = "application/json")
    StandingApproval revoke(@PathVariable String id, @RequestBody(required = false) Revocation revocation) {
        return standing.revoke(callers.requireApprover(), id, revocation == null ? null : revocation.comment());
    }
}

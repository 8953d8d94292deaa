package dev.countersign.approvals.internal;

import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.approvals.Approvals;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The approver's side of the API: vote, list what awaits them, read one request with its history. */
@RestController
class ApprovalController {

    private final Approvals approvals;
    private final ActionRequests actions;
    private final Callers callers;

    ApprovalController(Approvals approvals, ActionRequests actions, Callers callers) {
        this.approvals = approvals;
        this.actions = actions;
        this.callers = callers;
    }

    record VoteBody(String vote, String comment, StandingBody standing) {
    }

    /** "This and the next ones like it" (docs/api.md): amounts as decimal strings, {@code expiresIn} as 8h, 30m or PT8H. */
    record StandingBody(String tool, String amountAtMost, String environment, String resource, Integer uses, String budget,
                        String expiresIn) {
    }

    /** The ActionRequest, flat as the contract has it, plus what an approver needs before voting. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ApprovalView(@com.fasterxml.jackson.annotation.JsonUnwrapped ActionRequest request, List<ActionRequest> history,
                        boolean canVote, String cannotVoteBecause) {
    }

    @PostMapping(path = "/api/v1/actions/{id}/votes", consumes = "application/json")
    ActionRequest vote(@PathVariable String id, @RequestBody VoteBody body) {
        Caller.Approver approver = callers.requireApprover();
        Vote vote;
        try {
            vote = Vote.valueOf(String.valueOf(body.vote()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(new FieldError("vote", "must be APPROVE or DENY")));
        }
        return approvals.vote(approver, id, vote, body.comment(), Channel.API, standing(body.standing()));
    }

    private static dev.countersign.actions.StandingTerms standing(StandingBody body) {
        if (body == null) {
            return null;
        }
        List<FieldError> errors = new java.util.ArrayList<>();
        var amountAtMost = decimal(body.amountAtMost(), "standing.amountAtMost", errors);
        var budget = decimal(body.budget(), "standing.budget", errors);
        java.time.Duration expiresIn = null;
        if (body.expiresIn() != null) {
            try {
                expiresIn = org.springframework.boot.convert.DurationStyle.detectAndParse(body.expiresIn().strip());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("standing.expiresIn", "is not a duration (e.g. 8h, 30m, PT8H)"));
            }
        }
        if (body.tool() != null && (body.tool().isBlank() || body.tool().length() > 128)) {
            errors.add(new FieldError("standing.tool", "must be a tool glob of 1-128 characters"));
        }
        if (body.resource() != null && body.resource().length() > 1024) {
            errors.add(new FieldError("standing.resource", "must be at most 1024 characters"));
        }
        if (body.environment() != null && body.environment().length() > 128) {
            errors.add(new FieldError("standing.environment", "must be at most 128 characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new dev.countersign.actions.StandingTerms(body.tool(), amountAtMost, body.environment(), body.resource(), body.uses(), budget,
                expiresIn);
    }

    private static java.math.BigDecimal decimal(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!value.strip().matches("\\d{1,30}(\\.\\d{1,18})?")) {
            errors.add(new FieldError(field, "must be a decimal string such as \"50.00\""));
            return null;
        }
        return new java.math.BigDecimal(value.strip());
    }

    @GetMapping("/api/v1/approvals")
    Map<String, Object> list(@RequestParam(defaultValue = "PENDING") String status,
                             @RequestParam(required = false) String cursor,
                             @RequestParam(defaultValue = "20") int limit) {
        Caller.Approver approver = callers.requireApprover();
        ActionStatus wanted;
        try {
            wanted = ActionStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(new FieldError("status", "must be one of PENDING, APPROVED, DENIED, EXPIRED, CANCELLED")));
        }
        int size = Math.clamp(limit, 1, 100);
        List<ActionRequest> items = actions.forApprover(approver.principals(), wanted, decode(cursor), size);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("nextCursor", items.size() == size ? encode(items.getLast()) : null);
        return page;
    }

    @GetMapping("/api/v1/approvals/{id}")
    ApprovalView one(@PathVariable String id) {
        Caller.Approver approver = callers.requireApprover();
        ActionRequest request = actions.find(id)
                .filter(r -> approver.isAdmin() || approvals.isEligible(approver, r))
                .orElseThrow(() -> ApiProblem.notFound("Approval request " + id));
        String whyNot = approvals.whyNot(approver, request).orElse(null);
        return new ApprovalView(request.withoutGrant(), actions.history(request.actionHash(), id, 20).stream()
                .map(ActionRequest::withoutGrant).toList(), whyNot == null, whyNot);
    }

    private static String encode(ActionRequest last) {
        String raw = last.createdAt().toString() + "|" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static ActionRequests.Cursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new ActionRequests.Cursor(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw ApiProblem.validation(List.of(new FieldError("cursor", "is not a cursor this API returned")));
        }
    }
}

package dev.countersign.apidocs;

import java.util.List;
import java.util.Map;

/** Each operation of the API as docs/api.md describes it: what it answers on success, and which problem codes. */
final class ApiOperations {

    private static final Map<String, Object> ASK = Map.of(
            "tool", "payments.transfer",
            "category", "SPEND_MONEY",
            "arguments", Map.of("from", "acct-ops", "to", "acct-vendor-17", "amount", "1250.00"),
            "amount", Map.of("value", "1250.00", "currency", "EUR"),
            "environment", "prod",
            "justification", "Pay invoice INV-2291 approved in ticket FIN-88");

    static final List<DocumentedOperation> ALL = List.of(
            new DocumentedOperation("POST", "/api/v1/actions", "actions", "askForAction", "Ask for a guarded action",
                    "Policy decides at once: APPROVED (with a grant), DENIED, or PENDING for people. The tool catalog derives "
                            + "the facts from the arguments; what the agent declares is only compared with them. Retrying with the "
                            + "same Idempotency-Key replays the first answer's current state and never asks twice.",
                    Map.of(201, "A new request (Location names it)",
                            200, "An earlier ask with this key (Idempotent-Replayed), or the same action pending or just approved (Coalesced)"),
                    List.of("idempotency_key_missing", "idempotency_key_invalid", "forbidden", "idempotency_key_reused",
                            "validation_failed", "unknown_tool", "facts_mismatch"),
                    ASK),
            new DocumentedOperation("GET", "/api/v1/actions/{id}", "actions", "getAction", "Read a request, or wait for its decision",
                    "With wait=N (0-60 s, or Prefer: wait=N) the call is held until the request leaves PENDING or the wait runs "
                            + "out, then answers the current state. Only the requesting agent may read it.",
                    Map.of(200, "The request as it is now; its grant when APPROVED"),
                    List.of("validation_failed", "not_found"), null),
            new DocumentedOperation("POST", "/api/v1/actions/{id}/cancel", "actions", "cancelAction", "Withdraw a request",
                    "PENDING becomes CANCELLED; a finished request is answered unchanged.",
                    Map.of(200, "The request after the cancel"), List.of("not_found"), null),
            new DocumentedOperation("POST", "/api/v1/actions/{id}/votes", "approvals", "vote", "Vote on a request (approvers)",
                    "A DENY decides at once; quorum distinct APPROVEs decide APPROVED. A comment is required with DENY.",
                    Map.of(200, "The vote counted: the request as the approver sees it (no grant)"),
                    List.of("forbidden", "not_eligible", "self_approval", "step_up_required", "not_found", "already_voted",
                            "not_pending", "validation_failed"),
                    Map.of("vote", "APPROVE", "comment", "invoice checked")),
            new DocumentedOperation("GET", "/api/v1/approvals", "approvals", "listApprovals", "What awaits this approver",
                    "Requests the approver is eligible for, newest first, cursor-paginated.",
                    Map.of(200, "{items, nextCursor}"), List.of("bad_request", "forbidden", "validation_failed"), null),
            new DocumentedOperation("GET", "/api/v1/approvals/{id}", "approvals", "getApproval", "One request as an approver sees it",
                    "Without any grant, with the earlier decisions on the same action (history).",
                    Map.of(200, "The request and its history"), List.of("forbidden", "not_found"), null),
            new DocumentedOperation("POST", "/api/v1/grants/redeem", "grants", "redeemGrant", "Redeem a grant (tool gateways)",
                    "Called with the tool gateway's own token just before the tool runs, with the actionHash of the exact call "
                            + "about to run. Exactly one redemption of a grant succeeds.",
                    Map.of(200, "Redeemed: run the tool"),
                    List.of("forbidden", "grant_already_redeemed", "grant_invalid", "validation_failed"),
                    Map.of("grant", "eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiJ9.…", "actionHash", "sha256:…")),
            new DocumentedOperation("GET", "/.well-known/jwks.json", "grants", "grantKeys", "The keys grants are signed with",
                    "ES256 public keys; old keys stay until their grants expire.", Map.of(200, "A JWK set"), List.of(), null),
            new DocumentedOperation("GET", "/api/v1/standing-approvals", "standing-approvals", "listStandingApprovals",
                    "Standing approvals of the rules this approver approves under", "All of them for admins, newest first.",
                    Map.of(200, "{items}"), List.of("bad_request", "forbidden"), null),
            new DocumentedOperation("POST", "/api/v1/standing-approvals/{id}/revoke", "standing-approvals", "revokeStandingApproval",
                    "Revoke a standing approval", "Any approver of its rule, or an admin.",
                    Map.of(200, "It is REVOKED"), List.of("forbidden", "not_eligible", "not_found", "not_pending", "validation_failed"),
                    Map.of("comment", "vendor run finished early")),
            new DocumentedOperation("GET", "/api/v1/{kind}", "documents", "documentInForce", "The policy or catalog in force",
                    "The version decisions are made under now.", Map.of(200, "The version in force with its content"), List.of("forbidden", "not_found"), null),
            new DocumentedOperation("GET", "/api/v1/{kind}/versions", "documents", "documentVersions", "Every saved version",
                    "Newest first, without content.", Map.of(200, "The versions"), List.of("bad_request", "forbidden", "not_found", "validation_failed"), null),
            new DocumentedOperation("GET", "/api/v1/{kind}/versions/{number}", "documents", "documentVersion", "One version with its content",
                    null, Map.of(200, "The version"), List.of("bad_request", "forbidden", "not_found"), null),
            new DocumentedOperation("POST", "/api/v1/{kind}/check", "documents", "checkDocument", "Check a draft",
                    "Compiles the draft and runs the policy's tests; nothing is saved.", Map.of(200, "{valid, problems}"),
                    List.of("forbidden", "not_found", "validation_failed"), Map.of("content", "currency: EUR\nrules: []\n")),
            new DocumentedOperation("POST", "/api/v1/{kind}/versions", "documents", "saveDocumentVersion", "Save and activate a new version",
                    "In force at once on this instance, on the others within countersign.documents.refresh.",
                    Map.of(201, "The new version"),
                    List.of("forbidden", "not_found", "document_read_only", "document_invalid", "validation_failed"),
                    Map.of("content", "currency: EUR\nrules: []\n", "comment", "why")),
            new DocumentedOperation("POST", "/api/v1/policy/simulate", "documents", "simulatePolicy", "Dry-run drafts on past requests",
                    "The stored requests of the last days asked again under the drafts; nothing is saved.",
                    Map.of(200, "What would change"), List.of("forbidden", "document_invalid", "validation_failed"),
                    Map.of("policy", "currency: EUR\nrules: []\n", "days", 7)),
            new DocumentedOperation("GET", "/api/v1/audit", "audit", "auditEntries", "Audit entries (admins)",
                    "As JSON, or as JSON Lines with Accept: application/jsonl.", Map.of(200, "The entries after a sequence number"),
                    List.of("bad_request", "forbidden", "validation_failed"), null),
            new DocumentedOperation("GET", "/api/v1/audit/verify", "audit", "verifyAudit", "Verify the hash chain (admins)",
                    null, Map.of(200, "{valid, entries, recomputed, fromSeq, checkpoints} or the first broken entry"),
                    List.of("bad_request", "forbidden"), null));

    private ApiOperations() {
    }
}

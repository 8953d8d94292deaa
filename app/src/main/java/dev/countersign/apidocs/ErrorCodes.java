package dev.countersign.apidocs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every problem {@code code} the API answers with, and its status: the table of docs/api.md, which
 * ApiContractDocTest keeps equal to this one and to the codes the sources raise.
 */
public final class ErrorCodes {

    public record ErrorCode(String code, int status, String when) {
    }

    public static final Map<String, ErrorCode> ALL = table(
            code("bad_request", 400, "The request cannot be read as this endpoint expects (e.g. a missing parameter)."),
            code("malformed_json", 400, "The body is not JSON, or not a JSON object."),
            code("idempotency_key_missing", 400, "POST /api/v1/actions without an Idempotency-Key."),
            code("idempotency_key_invalid", 400, "The key is not 1-255 visible ASCII characters."),
            code("unauthorized", 401, "No token, a bad or expired one, or the wrong audience."),
            code("invalid_slack_signature", 401, "A Slack interaction whose signature or timestamp does not hold."),
            code("forbidden", 403, "The caller may not do this (a tool the agent is not allowed, a disabled agent, a token of the wrong kind)."),
            code("not_eligible", 403, "An approver who is not among the request's approvers."),
            code("self_approval", 403, "An approver who is the subject of the request."),
            code("step_up_required", 403, "An APPROVE under a stepUp rule from Slack, or from a sign-in older than the rule's maxAge (in the problem)."),
            code("not_found", 404, "No such resource for this caller (someone else's request answers the same)."),
            code("method_not_allowed", 405, "The path exists, the method does not."),
            code("not_acceptable", 406, "The Accept header excludes JSON."),
            code("already_voted", 409, "This approver's vote on the request was already counted."),
            code("not_pending", 409, "The request is decided and takes no more votes."),
            code("idempotency_key_reused", 409, "The same key was used with a different body."),
            code("document_read_only", 409, "A new policy or catalog version while the file is the only source."),
            code("grant_already_redeemed", 409, "The grant was redeemed before (exactly one redemption succeeds)."),
            code("payload_too_large", 413, "A body over 64 KiB."),
            code("unsupported_media_type", 415, "A body that is not application/json (UTF-8)."),
            code("too_many_requests", 429, "Too many failed sign-ins, or an agent over its call limit: nothing was done; retry after Retry-After seconds (an ask with the same Idempotency-Key)."),
            code("validation_failed", 422, "A field is missing or wrong, or the arguments fail the tool's schema or I-JSON; errors lists each."),
            code("document_invalid", 422, "A policy or catalog draft that does not compile, or whose tests fail; problems lists each."),
            code("unknown_tool", 422, "The tool is not in the tool catalog; an admin registers it first."),
            code("facts_mismatch", 422, "A declared category, amount, environment, resource or dataClassification differs from what the catalog derives; mismatches lists each."),
            code("grant_invalid", 422, "A grant with a bad signature, expired, revoked, or for another action."),
            code("internal_error", 500, "A fault on Countersign's side; retrying an ask with the same Idempotency-Key is safe."),
            code("service_unavailable", 503, "The database cannot be reached just now, or every pooled connection stayed busy; retry after Retry-After seconds."));

    private ErrorCodes() {
    }

    public static ErrorCode of(String code) {
        ErrorCode known = ALL.get(code);
        if (known == null) {
            throw new IllegalArgumentException("No error code " + code + " in the table");
        }
        return known;
    }

    private static ErrorCode code(String code, int status, String when) {
        return new ErrorCode(code, status, when);
    }

    private static Map<String, ErrorCode> table(ErrorCode... codes) {
        Map<String, ErrorCode> all = new LinkedHashMap<>();
        for (ErrorCode code : codes) {
            all.put(code.code(), code);
        }
        return java.util.Collections.unmodifiableMap(all);
    }
}

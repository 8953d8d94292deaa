package dev.countersign.console;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import dev.countersign.audit.AuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What became of an approved request, in one line for the people who approved it: whether the
 * action ran (through the MCP gateway, with its result ok or an error, or by the agent redeeming its
 * grant), has not run yet, or never will (its grant expired unclaimed). Read from the request's own
 * audit entries, the record every instance writes to.
 */
final class RunOutcome {

    private RunOutcome() {
    }

    static Optional<String> of(ActionRequest request, List<AuditEntry> entries, Instant now, JsonMapper json) {
        if (request.status() != ActionStatus.APPROVED) {
            return Optional.empty();
        }
        Optional<AuditEntry> forwarded = last(entries, "gateway.forwarded");
        if (forwarded.isPresent()) {
            boolean error = data(json, forwarded.get()).path("isError").asBoolean(false);
            return Optional.of("Approved → ran at " + ConsoleFormat.time(forwarded.get().at()) + " through the MCP gateway, result "
                    + (error ? "error (the tool said its call failed)" : "ok"));
        }
        Optional<AuditEntry> upstreamError = last(entries, "gateway.upstream_error");
        if (upstreamError.isPresent()) {
            return Optional.of("Approved → called at " + ConsoleFormat.time(upstreamError.get().at())
                    + " through the MCP gateway, result error (the tool answered with an error)");
        }
        Optional<AuditEntry> failed = last(entries, "gateway.upstream_failed");
        if (failed.isPresent()) {
            return Optional.of("Approved → its grant was used at " + ConsoleFormat.time(failed.get().at()) + ", but the MCP server failed "
                    + "during the call: whether it ran is unknown");
        }
        Optional<AuditEntry> redeemed = last(entries, "grant.redeemed");
        if (redeemed.isPresent()) {
            return Optional.of("Approved → run at " + ConsoleFormat.time(redeemed.get().at()) + " (its grant was redeemed by "
                    + redeemed.get().actor() + ")");
        }
        Optional<Instant> expires = last(entries, "grant.issued").map(issued -> data(json, issued).path("expiresAt").asString(null))
                .map(Instant::parse);
        if (expires.isEmpty()) {
            return Optional.of("Approved → not run yet");
        }
        return Optional.of(expires.get().isAfter(now)
                ? "Approved → not run yet (its grant holds until " + ConsoleFormat.time(expires.get()) + ")"
                : "Approved → never run (its grant expired unclaimed at " + ConsoleFormat.time(expires.get()) + ")");
    }

    /**
     * Whether the approved request's action ran, as {@link #of} words it with "ran at" or "run at": through the gateway
     * (forwarded), or by a redemption with no gateway error or failure after it.
     */
    static boolean ran(ActionRequest request, List<AuditEntry> entries) {
        return request.status() == ActionStatus.APPROVED && (last(entries, "gateway.forwarded").isPresent()
                || last(entries, "gateway.upstream_error").isEmpty() && last(entries, "gateway.upstream_failed").isEmpty()
                && last(entries, "grant.redeemed").isPresent());
    }

    private static Optional<AuditEntry> last(List<AuditEntry> entries, String type) {
        return entries.stream().filter(entry -> type.equals(entry.type())).reduce((first, second) -> second);
    }

    private static JsonNode data(JsonMapper json, AuditEntry entry) {
        try {
            return json.readTree(entry.data());
        } catch (RuntimeException unreadable) {
            return json.createObjectNode();
        }
    }
}

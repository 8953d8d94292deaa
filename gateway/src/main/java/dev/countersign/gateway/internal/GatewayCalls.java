package dev.countersign.gateway.internal;

import dev.countersign.actions.ActionHash;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.AgentAsks;
import dev.countersign.audit.AuditLog;
import dev.countersign.common.ApiProblem;
import dev.countersign.gateway.GatewayProperties;
import dev.countersign.grants.GrantRedeemer;
import dev.countersign.identity.Caller;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code tools/call} through the gateway: ask Countersign exactly as the API does, wait for
 * the decision (telling the client where it stands), and only for an approved call redeem the
 * grant and forward the arguments that were approved. Nothing reaches the upstream otherwise.
 */
@Component
class GatewayCalls {

    /** Where the MCP transport puts the authenticated caller of each HTTP request. */
    static final String CALLER = "countersign.caller";
    /** Where the MCP transport puts what stops a call's wait ({@link WaitingCalls}). */
    static final String STOP = "countersign.stop";
    /** Where the MCP transport puts the session's id as the client knows it. */
    static final String SESSION = "countersign.session";
    /** {@code _meta} of a call that means to run an action again although it ran within the replay window. */
    static final String REPEAT = "countersign/repeat";
    /** {@code _meta} of a result that is the stored outcome of an earlier run, not a new one. */
    static final String REPLAY = "countersign/replay";

    private final AgentAsks asks;
    private final GrantRedeemer grants;
    private final ToolRoutes routes;
    private final AuditLog audit;
    private final JsonMapper json;
    private final GatewayProperties properties;
    private final Clock clock;
    private final GatewayOutcomes outcomes;
    private final GatewayCallLog callLog;
    private final WaitingCalls waiting;
    private final GatewayMeters meters;
    private final dev.countersign.actions.RequestTraces traces;
    /**
     * Per approved request, the execution of its grant running on this instance: a call that joined
     * the same request meanwhile gets the same result instead of a refused second redemption.
     */
    private final Map<String, CompletableFuture<McpSchema.CallToolResult>> executions = new ConcurrentHashMap<>();

    GatewayCalls(AgentAsks asks, GrantRedeemer grants, ToolRoutes routes, AuditLog audit, JsonMapper json, GatewayProperties properties,
                 Clock clock, GatewayOutcomes outcomes, GatewayCallLog callLog, WaitingCalls waiting, GatewayMeters meters,
                 dev.countersign.actions.RequestTraces traces) {
        this.traces = traces;
        this.meters = meters;
        this.outcomes = outcomes;
        this.callLog = callLog;
        this.waiting = waiting;
        this.asks = asks;
        this.grants = grants;
        this.routes = routes;
        this.audit = audit;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /** What a tools/call asked: the request it opened or joined, or the refusal to answer with (nothing was asked or run). */
    record Asking(AgentAsks.Asked asked, McpSchema.CallToolResult refused) {
    }

    McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest call) {
        var measured = new GatewayMeters.Call();
        boolean[] waited = {false};
        try {
            return answer(exchange, call, measured, waited);
        } catch (RuntimeException failed) {
            if (!measured.ranHere()) {
                measured.ended("failed");
            }
            throw failed;
        } finally {
            meters.record(measured, waited[0]);
        }
    }

    private McpSchema.CallToolResult answer(McpSyncServerExchange exchange, McpSchema.CallToolRequest call, GatewayMeters.Call measured,
                                            boolean[] waitedOut) {
        routes.route(call.name()).ifPresent(route -> measured.routedTo(route.upstream().name()));
        if (!(exchange.transportContext().get(CALLER) instanceof Caller.Agent agent)) {
            return refusal("Only an agent's token may call tools through Countersign.");
        }
        Asking asking = ask(agent, call, exchange.getClientInfo(), exchange.transportContext().get(SESSION) instanceof String session
                ? session : null);
        if (asking.refused() != null) {
            return asking.refused();
        }
        AgentAsks.Asked asked = asking.asked();
        ActionRequest request = asked.request();
        // A call that waited for this approval gets its run's result as its own; one that joined an approval given
        // earlier (its client gave up and calls again) gets the stored outcome, marked as a replay.
        boolean waited = request.status() == ActionStatus.PENDING;
        waitedOut[0] = waited;
        WaitingCalls.Stop stopped = null;
        if (waited) {
            CompletableFuture<WaitingCalls.Stop> stop = stopOf(exchange);
            var decided = waiting.whileWaiting(() -> awaitDecision(agent, asked.request(), exchange, call, stop));
            request = decided;
            stopped = stop.isDone() && request.status() == ActionStatus.PENDING ? stop.join() : null;
            if (stopped != null) {
                audit.record("gateway.wait_stopped", properties.gatewayId(), request.id(), Map.of("reason", stopped.name().toLowerCase()));
            }
        }
        return switch (request.status()) {
            case APPROVED -> {
                ActionRequest approved = request;
                // Only approvals made by people have a kept outcome: a call policy allows at once reads none.
                var outcome = approved.approval() == null ? Optional.<GatewayOutcomes.Outcome>empty() : outcomes.of(approved.id());
                if (outcome.isEmpty() && waited && approved.approval() != null && approved.approval().held()) {
                    // onApproval: hold. The approval itself runs nothing (this call's client may be long gone); the agent's
                    // next call, made at the moment it chooses, joins the approval and runs it.
                    measured.ended("held");
                    yield refusal("Approved (request " + approved.id() + "), and held for your next call: nothing ran yet. Call the "
                            + "tool again with exactly the same arguments before " + approved.approval().expiresAt() + " to run it then.");
                }
                if (outcome.isPresent()) {
                    measured.ended("replayed");
                    yield waited ? outcome.get().result() : replay(outcome.get());
                }
                yield execute(agent, approved, !waited, measured);
            }
            case PENDING -> {
                measured.ended("gave_up");
                yield refusal((stopped == null ? "Still awaiting approval when this call gave up waiting"
                    : "Stopped waiting for approval (" + stopped.why + ")") + " (request " + request.id() + "). The request stays "
                    + "with the approvers, and an approval is carried out even if nobody waits for it. Call the tool again with "
                    + "exactly the same arguments to keep waiting (it joins the same request) or to get the result once it ran.");
            }
            default -> {
                measured.ended(request.status().name().toLowerCase(java.util.Locale.ROOT));
                yield refusal(refusalText(request));
            }
        };
    }

    /**
     * Asks Countersign exactly as {@code POST /api/v1/actions} does, for the tool as the agent called it: every call is a
     * new ask; a retry of a pending one coalesces onto it, a retry of a refused one is refused again.
     */
    Asking ask(Caller.Agent agent, McpSchema.CallToolRequest call, McpSchema.Implementation client, String sessionId) {
        Optional<ToolRoutes.Route> called = routes.route(call.name());
        if (called.isEmpty()) {
            return new Asking(null, refusal("No connected MCP server serves " + call.name() + " now; nothing was run. List the tools again."));
        }
        Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tool", called.get().catalogName());
        body.put("arguments", arguments);
        if (call.meta() != null && Boolean.TRUE.equals(call.meta().get(REPEAT))) {
            body.put("repeat", true);
        }
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        clientStated(client).ifPresent(stated -> context.put("mcpClient", stated));
        context.put("mcpTool", call.name()); // the name the agent called, beside the catalog's, for approvers
        body.put("context", context);
        try {
            AgentAsks.Asked asked = asks.ask(agent, "mcp-" + UUID.randomUUID(), json.writeValueAsBytes(body));
            if (asked.request().status() == ActionStatus.PENDING) {
                callLog.asked(asked.request().id(), agent.id());
            }
            return new Asking(asked, null);
        } catch (ApiProblem problem) {
            return new Asking(null, refusal(problemText(problem)));
        }
    }

    /** Carries out an approval nobody waits for ({@link GatewayPickup}): the one run, its outcome kept. */
    McpSchema.CallToolResult runApproved(Caller.Agent agent, ActionRequest approved) {
        var measured = new GatewayMeters.Call();
        routes.byCatalogName(approved.tool()).ifPresent(route -> measured.routedTo(route.upstream().name()));
        try {
            return execute(agent, approved, false, measured);
        } finally {
            meters.record(measured, true);
        }
    }

    /** Waits, without a deadline of its own beyond the request's, sending progress when the client asked for it. */
    private ActionRequest awaitDecision(Caller.Agent agent, ActionRequest pending, McpSyncServerExchange exchange,
                                        McpSchema.CallToolRequest call, CompletableFuture<WaitingCalls.Stop> stop) {
        Object progressToken = call.meta() == null ? null : call.meta().get("progressToken");
        Instant started = clock.instant();
        Instant giveUp = (pending.approval() == null ? started.plus(Duration.ofHours(1)) : pending.approval().expiresAt())
                .plus(Duration.ofMinutes(1)); // the expiry timer decides; this only bounds a wait whose decision never came
        ActionRequest now = pending;
        int told = 0;
        while (now.status() == ActionStatus.PENDING && clock.instant().isBefore(giveUp) && !stop.isDone()) {
            if (progressToken != null) {
                if (!progress(exchange, progressToken, now, ++told)) {
                    // The progress could not be written: the client is gone. Its wait ends; the approval stands.
                    stop.complete(WaitingCalls.Stop.DISCONNECTED);
                }
            }
            try {
                var read = asks.await(agent, now.id(), properties.progressInterval());
                CompletableFuture.anyOf(read, stop).get(properties.progressInterval().toMillis() + 5_000, TimeUnit.MILLISECONDS);
                if (!read.isDone()) {
                    return now; // stopped: the client gave up or went away, or the instance stops
                }
                now = read.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // A read that failed (the database away for a moment): try again at the next interval.
            }
        }
        return now;
    }

    /** Where a pending request stands, for people and models: "Waiting for approval: 0 of 1 from group:platform; 29m 54s left (request act_…)". */
    static String waitingFor(ActionRequest request, Instant now) {
        var approval = request.approval();
        if (approval == null) {
            return "Waiting for approval (request " + request.id() + ")";
        }
        Duration left = Duration.between(now, approval.expiresAt());
        return "Waiting for approval: " + request.approvals() + " of " + approval.quorum() + " from "
                + String.join(", ", approval.approvers()) + "; " + (left.isNegative() ? "expiring now" : human(left) + " left")
                + " (request " + request.id() + ")";
    }

    /** What stops this call's wait ({@link WaitingCalls}, put in the transport context by {@link McpGuard}); never completed if none. */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<WaitingCalls.Stop> stopOf(McpSyncServerExchange exchange) {
        return exchange.transportContext().get(STOP) instanceof CompletableFuture<?> future
                ? (CompletableFuture<WaitingCalls.Stop>) future : new CompletableFuture<>();
    }

    /** False when it could not be written (the SDK checks the stream after each event: a client that went away). */
    private boolean progress(McpSyncServerExchange exchange, Object token, ActionRequest request, int count) {
        String message = waitingFor(request, clock.instant());
        try {
            // progress must grow with every notification; total is unknown, since a human decides.
            exchange.progressNotification(new McpSchema.ProgressNotification(token, (double) count, null, message));
            return true;
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** Redeems the grant once and forwards what was approved; a call that joined the same request shares the result. */
    private McpSchema.CallToolResult execute(Caller.Agent agent, ActionRequest approved, boolean asReplay, GatewayMeters.Call measured) {
        var mine = new CompletableFuture<McpSchema.CallToolResult>();
        var running = executions.putIfAbsent(approved.id(), mine);
        if (running != null) {
            measured.ended("joined");
            return running.join();
        }
        try {
            // In the ask's trace: the tool's run is the end of the story an operator follows from the ask.
            mine.complete(traces.within(approved.id(), "countersign.forward", () -> redeemAndForward(agent, approved, asReplay, measured)));
        } catch (RuntimeException e) {
            mine.complete(refusal("Countersign could not run the approved call: " + e.getMessage()));
        } finally {
            // Calls that come later read the kept outcome; one that did not run (its server away) may be tried again.
            executions.remove(approved.id(), mine);
        }
        return mine.join();
    }

    private McpSchema.CallToolResult redeemAndForward(Caller.Agent agent, ActionRequest approved, boolean asReplay,
                                                      GatewayMeters.Call measured) {
        if (approved.grant() == null) {
            return refusal("The call was approved but its grant is no longer available (request " + approved.id() + "); call the tool again.");
        }
        // What runs is what was approved: the stored arguments, whose actionHash the grant is bound to.
        Map<String, Object> arguments = approved.arguments() == null ? Map.of() : approved.arguments();
        if (!ActionHash.of(json, approved.tool(), arguments).equals(approved.actionHash())) {
            audit.record("gateway.refused", properties.gatewayId(), approved.id(), Map.of("reason", "stored arguments do not match actionHash"));
            return refusal("The approved arguments do not match the approval's actionHash; nothing was run (request " + approved.id() + ").");
        }
        Optional<ToolRoutes.Route> route = routes.byCatalogName(approved.tool());
        if (route.isEmpty()) {
            return refusal("No connected MCP server serves " + approved.tool() + " now; the grant was not used (request " + approved.id()
                    + "). Call the tool again once the server is back.");
        }
        try {
            // The grant comes from Countersign's own store, not from the agent: redeemed by request, without a signature to check.
            grants.redeemIssued(approved.id(), approved.actionHash(), properties.gatewayId());
        } catch (ApiProblem refused) {
            if ("grant_already_redeemed".equals(refused.code())) {
                measured.ended("joined");
                // Another call (maybe on another instance, maybe one whose client gave up) is running it: its outcome is kept.
                return awaitOutcome(approved.id()).map(outcome -> asReplay ? replay(outcome) : outcome.result()).orElseGet(() -> refusal("This approved call was already "
                        + "run by another call to the same tool with the same arguments (request " + approved.id() + "), whose "
                        + "outcome is not known yet. Nothing ran twice; call again later to get it."));
            }
            return refusal(problemText(refused));
        }
        String upstream = route.get().upstream().name();
        measured.routedTo(upstream);
        long forwarded = System.nanoTime();
        try {
            McpSchema.CallToolResult result = route.get().upstream().call(route.get().upstreamTool(), arguments);
            measured.upstreamTook(System.nanoTime() - forwarded);
            measured.ended(Boolean.TRUE.equals(result.isError()) ? "tool_error" : "ran");
            audit.record("gateway.forwarded", properties.gatewayId(), approved.id(), Map.of("server", upstream, "tool", approved.tool(),
                    "isError", Boolean.TRUE.equals(result.isError())));
            keep(approved, result);
            return result;
        } catch (McpError error) {
            measured.upstreamTook(System.nanoTime() - forwarded);
            measured.ended("tool_error");
            audit.record("gateway.upstream_error", properties.gatewayId(), approved.id(), Map.of("server", upstream, "tool", approved.tool(),
                    "error", String.valueOf(error.getMessage())));
            keep(approved, refusal("The tool answered with an error: " + error.getMessage()));
            throw error; // the upstream's own error, as it gave it
        } catch (Upstream.UpstreamUnavailable failed) {
            measured.upstreamTook(System.nanoTime() - forwarded);
            measured.ended("upstream_failed");
            audit.record("gateway.upstream_failed", properties.gatewayId(), approved.id(), Map.of("server", upstream, "tool", approved.tool(),
                    "error", failed.getMessage()));
            var unknown = refusal(failed.getMessage() + ". The grant was used (grants are single-use), so whether the tool ran is unknown; "
                    + "check before calling again (request " + approved.id() + ").");
            keep(approved, unknown);
            return unknown;
        }
    }

    /**
     * Keeps the outcome of a run people approved, for the calls that come for it later. A call policy allowed at once is
     * a new call every time: its result (maybe the contents of a file) is not kept.
     */
    private void keep(ActionRequest approved, McpSchema.CallToolResult result) {
        if (approved.approval() != null) {
            outcomes.record(approved, result);
        }
    }

    /**
     * What the MCP client says it is, kept as its own words in the request's {@code context} ({@code mcpClient}), so
     * approvers read it labelled as the agent's, never inside a sentence of Countersign's.
     */
    static Optional<Map<String, String>> clientStated(McpSchema.Implementation client) {
        if (client == null || client.name() == null) {
            return Optional.empty();
        }
        Map<String, String> stated = new LinkedHashMap<>();
        stated.put("name", bounded(client.name()));
        if (client.version() != null) {
            stated.put("version", bounded(client.version()));
        }
        return Optional.of(stated);
    }

    private static String bounded(String text) {
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    /** The stored outcome of an earlier run, said to be one: in {@code _meta} and in its text, with the request and when it ran. */
    static McpSchema.CallToolResult replay(GatewayOutcomes.Outcome outcome) {
        var content = new java.util.ArrayList<McpSchema.Content>(outcome.result().content() == null ? List.of() : outcome.result().content());
        content.add(new McpSchema.TextContent("(Countersign: this is the result of request " + outcome.requestId() + ", approved and run at "
                + outcome.ranAt() + "; it did not run again" + (outcome.truncated() ? ", and its text was cut to what is kept" : "")
                + ". To run it once more, call with _meta {\"" + REPEAT + "\": true}, which asks for approval anew.)"));
        Map<String, Object> meta = new LinkedHashMap<>(outcome.result().meta() == null ? Map.of() : outcome.result().meta());
        meta.put(REPLAY, Map.of("requestId", outcome.requestId(), "ranAt", outcome.ranAt().toString(), "truncated", outcome.truncated()));
        return McpSchema.CallToolResult.builder().content(content).isError(Boolean.TRUE.equals(outcome.result().isError()))
                .structuredContent(outcome.result().structuredContent()).meta(meta).build();
    }

    /** Waits for the outcome another call is producing, as long as a forwarded call may take. */
    private Optional<GatewayOutcomes.Outcome> awaitOutcome(String requestId) {
        Instant giveUp = clock.instant().plus(properties.upstreamTimeout()).plusSeconds(5);
        while (true) {
            var outcome = outcomes.of(requestId);
            if (outcome.isPresent() || !clock.instant().isBefore(giveUp)) {
                return outcome;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** One message per outcome, each true to what the code does next (only DENIED and EXPIRED start the cool-down). */
    static String refusalText(ActionRequest request) {
        var decision = request.decision();
        String why = decision == null || decision.reason() == null ? "" : ": " + decision.reason();
        String code = decision == null || decision.reasonCode() == null ? request.status().name().toLowerCase() : decision.reasonCode();
        String what = switch (request.status()) {
            case DENIED -> "Countersign denied this call";
            case EXPIRED -> "Nobody approved this call in time";
            case CANCELLED -> "This call's approval request was cancelled";
            default -> "This call was not approved";
        };
        String next = switch (request.status()) {
            case DENIED, EXPIRED -> " Calling again with the same arguments will not help: it is refused at once for a while "
                    + "(recently_denied); ask the person you work for instead.";
            case CANCELLED -> " Calling again with the same arguments asks the approvers anew.";
            default -> "";
        };
        return what + " (" + code + ", request " + request.id() + ")" + why + ". Nothing was run." + next;
    }

    private static String problemText(ApiProblem problem) {
        StringBuilder text = new StringBuilder("Countersign refused the call (" + problem.code() + "): " + problem.getMessage());
        Object errors = problem.properties().get("errors");
        if (errors instanceof java.util.List<?> list) {
            list.forEach(error -> {
                if (error instanceof ApiProblem.FieldError field) {
                    text.append("\n- ").append(field.pointer() != null ? field.pointer() : field.field()).append(": ").append(field.message());
                }
            });
        }
        return text.append("\nNothing was run.").toString();
    }

    static McpSchema.CallToolResult refusal(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    private static String human(Duration left) {
        long seconds = Math.max(0, left.toSeconds());
        return seconds >= 3600 ? "%dh %02dm".formatted(seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? "%dm %02ds".formatted(seconds / 60, seconds % 60) : seconds + "s";
    }
}

package dev.countersign.gateway.internal;

import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.AgentAsks;
import dev.countersign.grants.Grants;
import dev.countersign.actions.Verdict;
import dev.countersign.identity.Caller;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * MCP tasks (the 2025-11-25 revision, experimental there) for {@code tools/call}, which the MCP Java
 * SDK does not carry: a task-augmented call that waits for people answers at once with a task; the
 * client polls {@code tasks/get}, fetches {@code tasks/result}, or withdraws it with {@code tasks/cancel}.
 *
 * <p>A task's state is read, never stored: it is what its approval request and the one run's outcome
 * say ({@link #stateOf}), so every instance answers alike, and the run itself is the gateway's usual one
 * ({@link GatewayPickup} once approved, the grant's single redemption). A task is its agent's: from any
 * session or instance of that agent; to any other it does not exist.
 */
@Component
class McpTasks implements DisposableBean {

    /** A JSON-RPC error to answer a tasks method with. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    enum Status { working, completed, failed, cancelled }

    /** Where a task stands; {@code result} once it is {@code completed} or {@code failed}. */
    record State(Status status, String message, Instant lastUpdated, McpSchema.CallToolResult result) {
        boolean terminal() {
            return status != Status.working;
        }
    }

    static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    private static final long POLL_INTERVAL_MS = 2000;
    private static final int PAGE = 50;

    private final GatewayCalls calls;
    private final GatewayTasks tasks;
    private final GatewayOutcomes outcomes;
    private final AgentAsks asks;
    private final ActionRequests requests;
    private final Grants grants;
    private final McpJsonMapper mcpJson;
    private final Clock clock;
    private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();

    McpTasks(GatewayCalls calls, GatewayTasks tasks, GatewayOutcomes outcomes, AgentAsks asks, ActionRequests requests, Grants grants,
             McpJsonMapper mcpJson, Clock clock) {
        this.calls = calls;
        this.tasks = tasks;
        this.outcomes = outcomes;
        this.asks = asks;
        this.requests = requests;
        this.grants = grants;
        this.mcpJson = mcpJson;
        this.clock = clock;
    }

    /** Whether Countersign answers this request itself rather than the SDK: a task-augmented call, or a tasks method. */
    static boolean handles(McpMessage message) {
        return message.kind() == McpMessage.Kind.REQUEST && (message.method().startsWith("tasks/")
                || "tools/call".equals(message.method()) && message.params() != null && message.params().path("task").isObject());
    }

    /** The result of the method, as JSON-RPC's {@code result}. */
    Map<String, Object> answer(Caller.Agent agent, String sessionId, McpSchema.Implementation client, String method,
                               Map<String, Object> params, CompletableFuture<?> stop) throws Refused {
        Map<String, Object> given = params == null ? Map.of() : params;
        return switch (method) {
            case "tools/call" -> Map.of("task", view(agent, create(agent, sessionId, client, given)));
            case "tasks/get" -> view(agent, own(agent, given));
            case "tasks/result" -> result(agent, own(agent, given), stop);
            case "tasks/cancel" -> view(agent, cancel(agent, own(agent, given)));
            case "tasks/list" -> list(agent, given);
            default -> throw new Refused(JsonRpcErrors.METHOD_NOT_FOUND, "Method not found: " + method);
        };
    }

    private GatewayTasks.Task create(Caller.Agent agent, String sessionId, McpSchema.Implementation client, Map<String, Object> params)
            throws Refused {
        McpSchema.CallToolRequest call;
        try {
            call = mcpJson.convertValue(withoutTask(params), McpSchema.CallToolRequest.class);
        } catch (RuntimeException e) {
            throw new Refused(JsonRpcErrors.INVALID_PARAMS, "tools/call needs a tool \"name\" and \"arguments\" as an object");
        }
        if (call.name() == null) {
            throw new Refused(JsonRpcErrors.INVALID_PARAMS, "tools/call needs a tool \"name\"");
        }
        Duration ttl = ttlOf(params.get("task"));
        GatewayCalls.Asking asking = calls.ask(agent, call, client, sessionId);
        if (asking.refused() != null) {
            return tasks.open(agent.id(), null, write(asking.refused()), ttl);
        }
        ActionRequest request = asking.asked().request();
        GatewayTasks.Task task = tasks.open(agent.id(), request.id(), null, ttl);
        if (request.status() == ActionStatus.APPROVED && outcomes.of(request.id()).isEmpty()) {
            // Allowed at once, or joined an approval not run yet: run it now. A run of a people approval keeps its own
            // outcome (and one that could not start keeps none, so the next call tries again); a call policy allowed at
            // once keeps none by itself, so its task keeps what this one answer was, run or refused.
            runners.execute(() -> {
                var result = calls.runApproved(agent, request);
                if (request.approval() == null) {
                    outcomes.record(request, result);
                }
            });
        }
        return task;
    }

    private static Map<String, Object> withoutTask(Map<String, Object> params) {
        Map<String, Object> call = new LinkedHashMap<>(params);
        call.remove("task");
        return call;
    }

    /** The client's wish within bounds: a task is kept from an hour (asked for nothing) to a day. */
    private static Duration ttlOf(Object task) {
        if (task instanceof Map<?, ?> metadata && metadata.get("ttl") instanceof Number ttl && ttl.longValue() > 0) {
            Duration asked = Duration.ofMillis(ttl.longValue());
            return asked.compareTo(GatewayTasks.MAX_TTL) > 0 ? GatewayTasks.MAX_TTL : asked.compareTo(Duration.ofMinutes(1)) < 0
                    ? Duration.ofMinutes(1) : asked;
        }
        return GatewayTasks.DEFAULT_TTL;
    }

    private GatewayTasks.Task own(Caller.Agent agent, Map<String, Object> params) throws Refused {
        if (!(params.get("taskId") instanceof String taskId)) {
            throw new Refused(JsonRpcErrors.INVALID_PARAMS, "Name the task: {\"taskId\": \"task_…\"}");
        }
        return tasks.of(agent.id(), taskId).orElseThrow(() -> new Refused(JsonRpcErrors.INVALID_PARAMS,
                "Task not found: " + taskId + " (it expired, or was never opened with this token)"));
    }

    private GatewayTasks.Task cancel(Caller.Agent agent, GatewayTasks.Task task) throws Refused {
        State state = stateOf(agent, task);
        if (state.terminal()) {
            throw new Refused(JsonRpcErrors.INVALID_PARAMS, "Task " + task.id() + " is already " + state.status()
                    + ": it cannot be cancelled");
        }
        if (requests.decide(task.requestId(), Verdict.cancelled(agent.id())).isEmpty()) {
            throw new Refused(JsonRpcErrors.INVALID_PARAMS, "Task " + task.id() + " was approved and is running: it cannot be cancelled "
                    + "any more; tasks/result gives its result");
        }
        tasks.cancelled(task.id());
        return tasks.of(agent.id(), task.id()).orElse(task);
    }

    private Map<String, Object> list(Caller.Agent agent, Map<String, Object> params) throws Refused {
        int offset = 0;
        if (params.get("cursor") instanceof String cursor) {
            try {
                offset = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new Refused(JsonRpcErrors.INVALID_PARAMS, "Unknown cursor: pass the nextCursor of the page before");
            }
        }
        List<GatewayTasks.Task> page = tasks.of(agent.id(), Math.max(0, offset), PAGE + 1);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tasks", page.stream().limit(PAGE).map(task -> view(agent, task)).toList());
        if (page.size() > PAGE) {
            answer.put("nextCursor", Integer.toString(offset + PAGE));
        }
        return answer;
    }

    /** Blocks until the task is terminal (as tasks/result must), then its result, with the task named in _meta. */
    private Map<String, Object> result(Caller.Agent agent, GatewayTasks.Task task, CompletableFuture<?> stop) throws Refused {
        runIfHeld(agent, task);
        State state = stateOf(agent, task);
        while (!state.terminal()) {
            if (stop.isDone()) {
                throw new Refused(JsonRpcErrors.INTERNAL_ERROR, "Stopped waiting for task " + task.id() + " (the client went away, or this "
                        + "instance is stopping); the task goes on: call tasks/result again");
            }
            try {
                var decided = asks.await(agent, task.requestId(), Duration.ofSeconds(5));
                CompletableFuture.anyOf(decided, stop, CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(500,
                        TimeUnit.MILLISECONDS))).get(10, TimeUnit.SECONDS);
            } catch (Exception readAgain) {
                // The database away for a moment, or nothing yet: read the state again.
            }
            runIfHeld(agent, task);
            state = stateOf(agent, task);
        }
        Map<String, Object> result = toMap(state.result());
        Map<String, Object> meta = new LinkedHashMap<>(result.get("_meta") instanceof Map<?, ?> had ? castMap(had) : Map.of());
        meta.put(RELATED_TASK, Map.of("taskId", task.id()));
        result.put("_meta", meta);
        return result;
    }

    /** An approval held for the agent's next call: asking for the task's result is that call. */
    private void runIfHeld(Caller.Agent agent, GatewayTasks.Task task) {
        if (task.requestId() == null) {
            return;
        }
        ActionRequest request = asks.await(agent, task.requestId(), Duration.ZERO).join();
        if (request.status() == ActionStatus.APPROVED && request.approval() != null && request.approval().held()
                && outcomes.of(request.id()).isEmpty()) {
            calls.runApproved(agent, request); // keeps its outcome when it ran; when it could not start, the next poll tries again
        }
    }

    /** What the task's request and its run say now. */
    State stateOf(Caller.Agent agent, GatewayTasks.Task task) {
        Instant now = clock.instant();
        if (task.requestId() == null) {
            return new State(Status.completed, "Refused before anything was asked; nothing ran", task.createdAt(), read(task.refused()));
        }
        ActionRequest request = asks.await(agent, task.requestId(), Duration.ZERO).join();
        Instant updated = request.updatedAt() != null ? request.updatedAt() : task.createdAt();
        return switch (request.status()) {
            case PENDING -> new State(Status.working, GatewayCalls.waitingFor(request, now), updated, null);
            case APPROVED -> outcomes.of(request.id())
                    .map(outcome -> new State(Status.completed, "Approved and run at " + outcome.ranAt() + " (request " + request.id() + ")",
                            outcome.ranAt(), outcome.result()))
                    .orElseGet(() -> grants.ranOrCanRun(request.id(), now)
                            ? new State(Status.working, request.approval() != null && request.approval().held()
                                    ? "Approved and held until you ask for its result (tasks/result) or call again, before "
                                    + request.approval().expiresAt() + " (request " + request.id() + ")"
                                    : "Approved; running (request " + request.id() + ")", updated, null)
                            : new State(Status.completed, "Approved, but never run: its grant lapsed first", updated, GatewayCalls.refusal(
                                    "The call was approved, but its grant lapsed before it could run: nothing ran (request " + request.id()
                                            + "). Call the tool again to ask anew.")));
            case CANCELLED -> task.cancelled()
                    ? new State(Status.cancelled, "Cancelled by the agent (tasks/cancel); nothing ran", updated, GatewayCalls.refusal(
                            "This call's task was cancelled (tasks/cancel), which withdrew its approval request " + request.id()
                                    + ": nothing ran."))
                    : new State(Status.completed, "Cancelled; nothing ran", updated, GatewayCalls.refusal(GatewayCalls.refusalText(request)));
            default -> new State(Status.completed, request.status().name().toLowerCase() + "; nothing ran", updated,
                    GatewayCalls.refusal(GatewayCalls.refusalText(request)));
        };
    }

    /** The task as MCP's {@code Task} shows it. */
    private Map<String, Object> view(Caller.Agent agent, GatewayTasks.Task task) {
        State state = stateOf(agent, task);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("taskId", task.id());
        view.put("status", state.status().name());
        view.put("statusMessage", state.message());
        view.put("createdAt", task.createdAt().toString());
        view.put("lastUpdatedAt", (state.lastUpdated().isAfter(task.createdAt()) ? state.lastUpdated() : task.createdAt()).toString());
        view.put("ttl", Duration.between(task.createdAt(), task.expiresAt()).toMillis());
        view.put("pollInterval", POLL_INTERVAL_MS);
        return view;
    }

    private String write(McpSchema.CallToolResult result) {
        try {
            return mcpJson.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private McpSchema.CallToolResult read(String stored) {
        try {
            return mcpJson.readValue(stored, McpSchema.CallToolResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> toMap(McpSchema.CallToolResult result) {
        return new LinkedHashMap<>(castMap(mcpJson.convertValue(result, Map.class)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    @Override
    public void destroy() {
        runners.shutdownNow();
    }
}

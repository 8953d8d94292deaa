package dev.countersign.actions.web;

import dev.countersign.actions.AgentAsks;
import dev.countersign.actions.ActionRequest;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** The agent's side of the contract over HTTP: ask, wait, cancel, each through {@link AgentAsks}. */
@RestController
@RequestMapping("/api/v1/actions")
class ActionController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[;,\\s])wait\\s*=\\s*(\\d+)");
    static final int MAX_WAIT_SECONDS = 60;

    private final Callers callers;
    private final AgentAsks asks;
    private final Duration longestWait;

    /**
     * @param idleTimeout how long the server keeps a connection that sends nothing. A long-poll's answer leaves before it:
     *                    an answer dispatched the moment the idle check fires lost its connection (seen at wait=30 with the
     *                    30 s default, 2 in 2,000). The default is 75 s (application.yaml), beyond the longest wait; with a
     *                    shorter one, waits are cut to leave a margin before it.
     */
    ActionController(Callers callers, AgentAsks asks,
                     @org.springframework.beans.factory.annotation.Value("${server.jetty.connection-idle-timeout:30s}") Duration idleTimeout) {
        Duration margin = idleTimeout.dividedBy(4).compareTo(Duration.ofSeconds(2)) < 0 ? idleTimeout.dividedBy(4) : Duration.ofSeconds(2);
        Duration beforeIdle = idleTimeout.minus(margin);
        this.longestWait = beforeIdle.compareTo(Duration.ofSeconds(MAX_WAIT_SECONDS)) < 0 ? beforeIdle : Duration.ofSeconds(MAX_WAIT_SECONDS);
        this.callers = callers;
        this.asks = asks;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ActionRequest> ask(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                                   HttpServletRequest http) throws IOException {
        Caller.Agent agent = callers.requireAgent();
        if (key == null || key.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "idempotency_key_missing",
                    "Send an Idempotency-Key header (1-255 visible ASCII characters, e.g. a UUID) and reuse it when you retry");
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "idempotency_key_invalid",
                    "Idempotency-Key must be 1-255 visible ASCII characters (no spaces or control characters)");
        }
        String charset = http.getCharacterEncoding();
        if (charset != null && !charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("UTF8")) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "The body is declared " + charset + "; send application/json in UTF-8 (RFC 8259)");
        }
        var outcome = asks.ask(agent, key, body(http));
        if (outcome.created()) {
            return ResponseEntity.created(URI.create("/api/v1/actions/" + outcome.request().id())).body(outcome.request());
        }
        if (outcome.coalesced()) {
            return ResponseEntity.ok().header("Coalesced", "true")
                    .location(URI.create("/api/v1/actions/" + outcome.request().id())).body(outcome.request());
        }
        return ResponseEntity.ok().header("Idempotent-Replayed", "true").body(outcome.request());
    }

    @GetMapping("/{id}")
    DeferredResult<ResponseEntity<?>> read(@PathVariable String id, @RequestParam(name = "wait", required = false) String waitParam,
                                           @RequestHeader(name = "Prefer", required = false) String prefer) {
        Caller.Agent agent = requestingAgent(id);
        int wait = waitSeconds(waitParam, prefer);
        String preferenceApplied = waitParam == null && prefer != null && PREFER_WAIT.matcher(prefer).find() ? "wait=" + wait : null;
        var result = new DeferredResult<ResponseEntity<?>>(wait == 0 ? null : (long) (wait + 5) * 1000);
        if (wait == 0) {
            result.setResult(answer(asks.read(agent, id), preferenceApplied));
            return result;
        }
        Duration waiting = Duration.ofSeconds(wait).compareTo(longestWait) > 0 ? longestWait : Duration.ofSeconds(wait);
        var decided = asks.await(agent, id, waiting);
        // Answered by the deadline (cancelled: nobody is left to answer). Nothing here holds the request as read: while
        // thousands wait, each waiter keeps one copy of its request, the waiters' last read (measured: 1.6 KB more each
        // when this answer held a second). The container's own timeout, 5 s later, is a backstop that reads afresh.
        decided.whenComplete((view, error) -> {
            if (view != null) {
                result.setResult(answer(view, preferenceApplied));
            }
        });
        result.onTimeout(() -> result.setResult(answer(asks.read(agent, id), preferenceApplied)));
        // The agent went away (or the container gave up): nobody to wake.
        result.onCompletion(() -> decided.cancel(false));
        result.onError(error -> decided.cancel(false));
        return result;
    }

    private static ResponseEntity<?> answer(ActionRequest request, String preferenceApplied) {
        var builder = ResponseEntity.ok();
        if (preferenceApplied != null) {
            builder.header("Preference-Applied", preferenceApplied);
        }
        return builder.body(request);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<ActionRequest> cancel(@PathVariable String id) {
        return ResponseEntity.ok(asks.cancel(requestingAgent(id), id));
    }

    /** The contract: only the requesting agent may read a request; anyone else, human or gateway, gets 404. */
    private Caller.Agent requestingAgent(String id) {
        if (callers.current() instanceof Caller.Agent agent) {
            return agent;
        }
        throw ApiProblem.notFound("Action request " + id);
    }

    static int waitSeconds(String waitParam, String prefer) {
        String raw = waitParam;
        String field = "wait";
        if (raw == null && prefer != null) {
            Matcher m = PREFER_WAIT.matcher(prefer);
            if (m.find()) {
                raw = m.group(1);
                field = "Prefer";
            }
        }
        if (raw == null) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(raw.trim());
            if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.validation(List.of(new FieldError(field, "wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS)));
    }

    private static byte[] body(HttpServletRequest http) throws IOException {
        if (http.getContentLengthLong() > AgentAsks.MAX_BODY_BYTES) {
            throw AgentAsks.bodyTooLarge();
        }
        try (InputStream in = http.getInputStream()) {
            byte[] body = in.readNBytes(AgentAsks.MAX_BODY_BYTES + 1);
            if (body.length > AgentAsks.MAX_BODY_BYTES) {
                throw AgentAsks.bodyTooLarge();
            }
            return body;
        }
    }
}

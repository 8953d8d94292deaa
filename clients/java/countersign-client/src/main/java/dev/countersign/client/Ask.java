package dev.countersign.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent asks to run. {@code callId} names the step that makes the call, stably: a retried step (after a crash,
 * a timeout, a model that calls again) reuses it and so the same Idempotency-Key, and is answered the same request
 * instead of asking people twice. Without one, the call id is the action itself (tool and canonical arguments).
 */
public record Ask(String tool, Map<String, Object> arguments, String callId, String justification, String onBehalfOf,
                  String sessionId) {

    public Ask {
        Objects.requireNonNull(tool, "tool");
        arguments = arguments == null ? Map.of() : arguments;
    }

    public static Ask of(String tool, Map<String, Object> arguments) {
        return new Ask(tool, arguments, null, null, null, null);
    }

    public Ask callId(String id) {
        return new Ask(tool, arguments, id, justification, onBehalfOf, sessionId);
    }

    public Ask justification(String why) {
        return new Ask(tool, arguments, callId, why, onBehalfOf, sessionId);
    }

    public Ask onBehalfOf(String person) {
        return new Ask(tool, arguments, callId, justification, person, sessionId);
    }

    public Ask sessionId(String session) {
        return new Ask(tool, arguments, callId, justification, onBehalfOf, session);
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tool", tool);
        body.put("arguments", arguments);
        if (justification != null) {
            body.put("justification", justification);
        }
        if (onBehalfOf != null) {
            body.put("onBehalfOf", onBehalfOf);
        }
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        return body;
    }

    /** The Idempotency-Key: a digest of the call id, so that any call id (spaces, any script) makes a valid key. */
    String idempotencyKey() {
        String id = callId != null ? callId : ActionHash.of(tool, arguments);
        return "call-" + ActionHash.sha256Hex(id);
    }
}

package dev.countersign.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent asks to run. {@code callId} names the step that makes the call, stably: a retried step (after a crash,
 * a timeout) reuses it and so the same Idempotency-Key, and is answered the very same request. Without one, each ask
 * is a new call; a retry is still neither asked twice nor run twice, since Countersign joins an identical action that
 * is pending or was just approved (Coalesced) and its grant runs once, but an action policy allows at once runs again.
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

    /**
     * The Idempotency-Key: a digest of the call id, so that any call id (spaces, any script) makes a valid key; without
     * one, a fresh key (the same for every retry of this one ask, which computes it once).
     */
    String idempotencyKey() {
        return callId != null ? "call-" + ActionHash.sha256Hex(callId) : "ask-" + java.util.UUID.randomUUID();
    }
}

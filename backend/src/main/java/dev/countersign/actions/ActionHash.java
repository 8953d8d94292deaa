package dev.countersign.actions;

import dev.countersign.common.CanonicalJson;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract's actionHash, defined once: {@code sha256:} and the SHA-256 of the RFC 8785 form
 * of {@code {"tool", "arguments"}}. What runs, nothing else: who asks and why, and what the agent
 * declares about it, stay out. The API computes it for an ask; a gateway recomputes it over what
 * it is about to forward.
 */
public final class ActionHash {

    private ActionHash() {
    }

    /** @param arguments the arguments as a JSON value (a map or a JSON node) */
    public static String of(JsonMapper json, String tool, Object arguments) {
        return "sha256:" + CanonicalJson.sha256(json.writeValueAsString(Map.of("tool", tool, "arguments", arguments)));
    }
}

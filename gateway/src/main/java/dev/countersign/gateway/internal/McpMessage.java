package dev.countersign.gateway.internal;

import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON-RPC message posted to {@code /mcp}, looked at before the MCP SDK reads it: whether it
 * is a request, a notification or a response, and its id. Whatever is not one well-formed message
 * is refused here with a JSON-RPC error, so the SDK only ever sees what it can answer.
 *
 * @param id      the request's id (a string or an integer), or {@code null}
 * @param cancels for {@code notifications/cancelled}, the id of the request the client gave up on, else {@code null}
 * @param params  a request's or notification's {@code params} (an object), or {@code null}
 */
record McpMessage(Kind kind, String method, JsonNode id, JsonNode cancels, JsonNode params) {

    enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    /** The notifications the SDK acts on; any other (roots/list_changed: the gateway reads no roots) is accepted and dropped. */
    private static final Set<String> HANDLED_NOTIFICATIONS = Set.of("notifications/initialized", "notifications/cancelled",
            "notifications/progress");

    /** A body that is not one JSON-RPC message: the status and JSON-RPC error to answer with. */
    static final class Refused extends Exception {
        final int status;
        final int code;

        Refused(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    static McpMessage read(byte[] body, JsonMapper json) throws Refused {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new Refused(400, JsonRpcErrors.PARSE_ERROR, "The body is not JSON Countersign can read (too deep, too long a "
                    + "number, or malformed); send one JSON-RPC 2.0 message as a JSON object");
        }
        if (root != null && root.isArray()) {
            throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "JSON-RPC batches are not part of MCP since 2025-06-18; "
                    + "send each message in its own request");
        }
        if (root == null || !root.isObject() || !"2.0".equals(root.path("jsonrpc").asString(null))) {
            throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "Send one JSON-RPC 2.0 message: a JSON object with \"jsonrpc\": \"2.0\"");
        }
        JsonNode id = root.get("id");
        boolean hasId = id != null && !id.isNull();
        if (hasId && !(id.isString() && id.asString().length() <= 256) && !(id.isIntegralNumber() && id.canConvertToLong())) {
            throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "An id is a string of at most 256 characters or an integer "
                    + "that fits in 64 bits");
        }
        JsonNode method = root.get("method");
        if (method != null) {
            if (!method.isString() || method.asString().isBlank() || method.asString().length() > 256) {
                throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "\"method\" must be a method name such as \"tools/call\"");
            }
            JsonNode params = root.get("params");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "MCP's \"params\" is a JSON object");
            }
            JsonNode cancels = !hasId && "notifications/cancelled".equals(method.asString()) && params != null && params.isObject()
                    ? params.get("requestId") : null;
            return new McpMessage(hasId ? Kind.REQUEST : Kind.NOTIFICATION, method.asString(), hasId ? id : null, cancels,
                    params == null || params.isNull() ? null : params);
        }
        if (hasId && (root.has("result") || root.has("error"))) {
            return new McpMessage(Kind.RESPONSE, null, id, null, null);
        }
        throw new Refused(400, JsonRpcErrors.INVALID_REQUEST, "A message has a \"method\" (a request or a notification) or an "
                + "\"id\" with a \"result\" or an \"error\" (a response)");
    }

    /** An id as a key: a string id and a number id with the same digits are different requests. */
    static String key(JsonNode id) {
        return id == null || id.isNull() ? null : (id.isString() ? "s:" : "n:") + id.asString();
    }

    /** A notification the SDK has nothing to do with: accepted ({@code 202}) and dropped, as JSON-RPC says unknown ones are. */
    boolean isIgnored() {
        return kind == Kind.NOTIFICATION && !HANDLED_NOTIFICATIONS.contains(method);
    }
}

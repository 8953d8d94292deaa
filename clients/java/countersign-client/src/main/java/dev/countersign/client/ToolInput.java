package dev.countersign.client;

import java.util.Map;
import tools.jackson.core.type.TypeReference;

/** A model's tool-call arguments, as frameworks hand them over (a JSON object in a string), read for an ask. */
public final class ToolInput {

    private ToolInput() {
    }

    /** An empty or blank input is no arguments; anything but a JSON object is refused, since no catalog schema takes it. */
    public static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (RuntimeException notAnObject) {
            throw new IllegalArgumentException("The tool's arguments are not a JSON object: " + notAnObject.getMessage(), notAnObject);
        }
    }
}

package dev.countersign.common;

import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A short list of ids (a delegation chain) stored in one column as a JSON array, and the
 * {@code LIKE} pattern that finds the rows naming one id: the id quoted as JSON writes it, with
 * {@code LIKE}'s own wildcards escaped ({@code escape '\'}), so {@code billing_agent} never
 * matches {@code billing-agent}.
 */
public final class IdList {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private IdList() {
    }

    public static String encode(List<String> ids) {
        return JSON.writeValueAsString(ids);
    }

    public static List<String> decode(String stored) {
        return stored == null ? List.of() : JSON.readValue(stored, LIST);
    }

    /** The condition that a list column names the id bound to its one parameter, {@link #containing} it. */
    public static String naming(String column) {
        return column + " like ? escape '\\'";
    }

    /** For {@link #naming}: any row whose list names this id. */
    public static String containing(String id) {
        String quoted = JSON.writeValueAsString(id);
        return "%" + quoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}

package dev.countersign.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an agent ran as when it asked: its model ({@code provider}, {@code model}, {@code version}),
 * a digest of its instructions (system prompt), and optionally of its tool manifest and its
 * retrieval corpus. Each field is null when nobody said. {@code attested}: the fields its
 * platform vouched for in the agent's token (the rest the agent declared in its ask).
 */
public record AgentRuntime(String provider, String model, String version, String instructions, String tools, String corpus,
                           Set<String> attested) {

    /** The fields by their names in the API and the audit log, in this order. */
    public static final java.util.List<String> FIELDS = java.util.List.of("model.provider", "model.name", "model.version", "instructions",
            "tools", "corpus");

    public static final AgentRuntime NONE = new AgentRuntime(null, null, null, null, null, null, Set.of());

    /** The most characters one value may have: a name, a version, or a digest such as {@code sha256:…}. */
    public static final int MAX_VALUE = 256;

    /**
     * Whether a value can stand as one: not blank, at most {@link #MAX_VALUE} characters, no control characters (which
     * mean nothing in a name or digest, and which JSON would store six characters wide).
     */
    public static boolean acceptable(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_VALUE && value.chars().noneMatch(Character::isISOControl);
    }

    public AgentRuntime {
        attested = attested == null ? Set.of() : Set.copyOf(new TreeSet<>(attested));
    }

    /** From values by field name ({@link #FIELDS}); absent names are null. */
    public static AgentRuntime of(Map<String, String> values, Set<String> attested) {
        return new AgentRuntime(values.get("model.provider"), values.get("model.name"), values.get("model.version"),
                values.get("instructions"), values.get("tools"), values.get("corpus"), attested);
    }

    /** The values by field name, the absent ones left out. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "model.provider", provider);
        put(values, "model.name", model);
        put(values, "model.version", version);
        put(values, "instructions", instructions);
        put(values, "tools", tools);
        put(values, "corpus", corpus);
        return values;
    }

    public boolean isEmpty() {
        return values().isEmpty();
    }

    /** Whether this runs as the same thing as {@code other}: the same values (whoever vouched for them). */
    public boolean sameAs(AgentRuntime other) {
        return other != null && Objects.equals(values(), other.values());
    }

    private static void put(Map<String, String> values, String field, String value) {
        if (value != null) {
            values.put(field, value);
        }
    }
}

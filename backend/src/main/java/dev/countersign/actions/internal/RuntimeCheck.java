package dev.countersign.actions.internal;

import dev.countersign.common.ApiProblem;
import dev.countersign.identity.AgentRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the asking agent ran as. Its token's claims (what its platform attests) win; what the ask
 * declares fills the fields the token does not speak to; a declared value that differs from an
 * attested one is refused, as a declared fact that differs from the arguments is: the agent is
 * lying or confused, and a human should see it in the audit log rather than have one picked.
 */
final class RuntimeCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private RuntimeCheck() {
    }

    static AgentRuntime resolve(AgentRuntime attested, AgentRuntime declared) {
        Map<String, String> fromToken = attested.values();
        Map<String, String> values = new LinkedHashMap<>(declared.values());
        List<DeclaredFacts.Mismatch> mismatches = new ArrayList<>();
        fromToken.forEach((field, value) -> {
            String said = values.get(field);
            if (said != null && !Objects.equals(normal(said), normal(value))) {
                mismatches.add(new DeclaredFacts.Mismatch("runtime." + field, said, value));
            }
            values.put(field, value);
        });
        if (!mismatches.isEmpty()) {
            List<String> fields = mismatches.stream().map(DeclaredFacts.Mismatch::field).toList();
            throw new FactDerivation.Refusal(new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "facts_mismatch",
                    "What the request declares about the agent's runtime differs from what its token attests (" + String.join(", ", fields)
                            + "); leave these out or send the attested values", Map.of("mismatches", mismatches)),
                    Map.of("reason", "facts_mismatch", "mismatches", mismatches));
        }
        // Ordered as AgentRuntime.FIELDS, whoever said them.
        return AgentRuntime.of(values, fromToken.keySet());
    }

    /** As stored with the request: the values by field name, and which of them the token attested. */
    static String stored(AgentRuntime runtime) {
        if (runtime.isEmpty()) {
            return null;
        }
        Map<String, Object> stored = new LinkedHashMap<>(runtime.values());
        stored.put("attested", List.copyOf(runtime.attested()));
        return JSON.writeValueAsString(stored);
    }

    static AgentRuntime read(String stored) {
        if (stored == null) {
            return AgentRuntime.NONE;
        }
        Map<String, Object> read = JSON.readValue(stored, MAP);
        Map<String, String> values = new LinkedHashMap<>();
        read.forEach((field, value) -> {
            if (value instanceof String text) {
                values.put(field, text);
            }
        });
        Object attested = read.get("attested");
        return AgentRuntime.of(values, attested instanceof List<?> list ? Set.copyOf(list.stream().map(String::valueOf).toList()) : Set.of());
    }

    private static String normal(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }
}

package dev.countersign.policy;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What policy may look at: who asks, the facts the tool catalog derived from the arguments that
 * will run (never what the agent declared), and, when the policy asks for it, what the agent has
 * already had approved. Nullable facts were not derived for this tool.
 */
public record ActionFacts(
        Agent agent,
        String tool,
        String category,
        String environment,
        String dataClassification,
        String resource,
        BigDecimal amount,
        String currency,
        JsonNode arguments,
        History history) {

    public ActionFacts(Agent agent, String tool, String category, String environment, String dataClassification, String resource,
                       BigDecimal amount, String currency, JsonNode arguments) {
        this(agent, tool, category, environment, dataClassification, resource, amount, currency, arguments, null);
    }

    public ActionFacts withHistory(History past) {
        return new ActionFacts(agent, tool, category, environment, dataClassification, resource, amount, currency, arguments, past);
    }

    /**
     * The asking agent: its id, the human who owns it, and the delegation chain it asks through (root first, ending
     * with this agent; just the agent when nobody handed it the work), whose root may be a person.
     */
    public record Agent(String id, String owner, java.util.List<String> chain, boolean rootIsPerson, Runtime runtime) {

        public Agent {
            chain = chain == null || chain.isEmpty() ? java.util.List.of(id) : java.util.List.copyOf(chain);
            runtime = runtime == null ? Runtime.UNKNOWN : runtime;
        }

        public Agent(String id, String owner) {
            this(id, owner, null, false, null);
        }

        public Agent(String id, String owner, java.util.List<String> chain, boolean rootIsPerson) {
            this(id, owner, chain, rootIsPerson, null);
        }

        public String root() {
            return chain.getFirst();
        }
    }

    /**
     * What the agent ran as: values by field ({@code model.provider}, {@code model.name}, {@code model.version},
     * {@code instructions}, {@code tools}, {@code corpus}), which its token attested, and whether they differ from its
     * last request people approved ({@code null}: nothing to compare with).
     */
    public record Runtime(Map<String, String> values, java.util.Set<String> attested, Boolean changed) {

        public static final Runtime UNKNOWN = new Runtime(Map.of(), java.util.Set.of(), null);

        public Runtime {
            values = Map.copyOf(values);
            attested = java.util.Set.copyOf(attested);
        }
    }

    /**
     * The agent's approved requests since midnight UTC (amount per currency, and how many), and
     * its requests in the asking session so far. Read in the asking transaction while the agent's
     * asks are serialised, so two asks cannot both spend the same budget. {@code asked}: how many requests the agent
     * made per tool within {@code countersign.policy.asked-window} before this one; {@code pending}: how many of its
     * requests await people now (the fatigue guard's inputs: a burst of look-alike asks can be escalated).
     */
    public record History(Map<String, BigDecimal> approvedToday, long approvedTodayCount, long sessionRequests,
                          Map<String, BigDecimal> sessionApproved, Map<String, Long> asked, long pending) {

        public static final History NONE = new History(Map.of(), 0, 0, Map.of());

        public History {
            approvedToday = Map.copyOf(approvedToday);
            sessionApproved = Map.copyOf(sessionApproved);
            asked = Map.copyOf(asked);
        }

        public History(Map<String, BigDecimal> approvedToday, long approvedTodayCount, long sessionRequests,
                       Map<String, BigDecimal> sessionApproved) {
            this(approvedToday, approvedTodayCount, sessionRequests, sessionApproved, Map.of(), 0);
        }
    }
}

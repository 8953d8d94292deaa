package dev.countersign.policy.internal;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.countersign.common.Cel;
import dev.countersign.policy.ActionFacts;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A rule's {@code when:}: a CEL expression over the derived facts, the arguments and the agent,
 * type-checked to a boolean when the policy loads. Facts a tool does not have are {@code null}
 * in CEL ({@code amount != null && amount < 50}); {@code amount} is a double in the request's
 * {@code currency}.
 */
final class Condition {

    private static final CelCompiler COMPILER = Cel.compiler()
            .addVar("tool", SimpleType.STRING)
            .addVar("category", SimpleType.DYN)
            .addVar("environment", SimpleType.DYN)
            .addVar("classification", SimpleType.DYN)
            .addVar("resource", SimpleType.DYN)
            .addVar("amount", SimpleType.DYN)
            .addVar("currency", SimpleType.DYN)
            .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("agent", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("session", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("now", SimpleType.TIMESTAMP)
            .setResultType(SimpleType.BOOL)
            .build();

    /** Names whose mention makes a condition read history. Conservative: a mention in a string literal counts too. */
    private static final java.util.regex.Pattern HISTORY = java.util.regex.Pattern.compile("session|approvedToday|asked|pending");

    private final String expression;
    private final CelRuntime.Program program;
    private final boolean readsHistory;

    private Condition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
        this.readsHistory = HISTORY.matcher(expression).find();
    }

    /** Compiles and type-checks; the message names the position in the expression and CEL's complaint. */
    static Condition compile(String expression, String where) {
        try {
            return new Condition(expression, Cel.RUNTIME.createProgram(COMPILER.compile(expression).getAst()));
        } catch (CelValidationException e) {
            throw new IllegalStateException(where + "when (CEL) does not compile at " + Cel.position(e) + ": " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalStateException(where + "when (CEL): " + e.getMessage(), e);
        }
    }

    boolean holds(ActionFacts action, Instant now) throws CelEvaluationException {
        Map<String, Object> variables = new HashMap<>();
        variables.put("tool", action.tool());
        variables.put("category", orNull(action.category()));
        variables.put("environment", orNull(action.environment()));
        variables.put("classification", orNull(action.dataClassification()));
        variables.put("resource", orNull(action.resource()));
        variables.put("amount", action.amount() == null ? NullValue.NULL_VALUE : action.amount().doubleValue());
        variables.put("currency", orNull(action.currency()));
        variables.put("args", action.arguments() == null ? Map.of() : Cel.value(action.arguments()));
        Map<String, Object> agent = new HashMap<>();
        agent.put("id", action.agent().id());
        agent.put("owner", orNull(action.agent().owner()));
        agent.put("chain", action.agent().chain());
        agent.put("root", action.agent().root());
        agent.put("rootIsPerson", action.agent().rootIsPerson());
        var ran = action.agent().runtime();
        Map<String, Object> runtime = new HashMap<>();
        runtime.put("provider", orNull(ran.values().get("model.provider")));
        runtime.put("model", orNull(ran.values().get("model.name")));
        runtime.put("version", orNull(ran.values().get("model.version")));
        runtime.put("instructions", orNull(ran.values().get("instructions")));
        runtime.put("tools", orNull(ran.values().get("tools")));
        runtime.put("corpus", orNull(ran.values().get("corpus")));
        runtime.put("changed", ran.changed() == null ? NullValue.NULL_VALUE : ran.changed());
        runtime.put("attested", java.util.List.copyOf(new java.util.TreeSet<>(ran.attested())));
        agent.put("runtime", runtime);
        Map<String, Object> session = new HashMap<>();
        // History is only there when read; a rule that reaches it some other way finds no key and fails closed.
        if (action.history() != null) {
            var history = action.history();
            agent.put("approvedToday", amounts(history.approvedToday(), action.currency()));
            agent.put("approvedTodayCount", history.approvedTodayCount());
            Map<String, Object> asked = new HashMap<>(history.asked());
            asked.putIfAbsent(action.tool(), 0L);
            agent.put("asked", asked);
            agent.put("pending", history.pending());
            session.put("requests", history.sessionRequests());
            session.put("approved", amounts(history.sessionApproved(), action.currency()));
        }
        variables.put("agent", agent);
        variables.put("session", session);
        variables.put("now", now);
        return Boolean.TRUE.equals(program.eval(variables));
    }

    String expression() {
        return expression;
    }

    boolean readsHistory() {
        return readsHistory;
    }

    /** Amounts per currency as doubles, with the request's own currency always present (0 if nothing yet). */
    private static Map<String, Object> amounts(Map<String, java.math.BigDecimal> byCurrency, String currency) {
        Map<String, Object> amounts = new HashMap<>();
        byCurrency.forEach((code, sum) -> amounts.put(code, sum.doubleValue()));
        if (currency != null) {
            amounts.putIfAbsent(currency, 0.0);
        }
        return amounts;
    }

    private static Object orNull(String value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }
}

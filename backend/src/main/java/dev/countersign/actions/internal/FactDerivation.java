package dev.countersign.actions.internal;

import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The facts policy decides on, derived by the tool catalog from the arguments that will run; what
 * the agent declares is at most checked against them. An unknown tool, or a declaration that
 * differs from the facts, is a {@link Refusal} that the intake audits once its transaction is undone.
 */
@Component
class FactDerivation {

    private final ToolCatalog catalog;

    FactDerivation(ToolCatalog catalog) {
        this.catalog = catalog;
    }

    DerivedFacts derive(ActionSubmission submission) {
        DerivedFacts facts;
        try {
            facts = catalog.derive(submission.tool(), submission.argumentsJson());
        } catch (ApiProblem refused) {
            if ("unknown_tool".equals(refused.code())) {
                throw new Refusal(refused, Map.of("reason", "unknown_tool"));
            }
            throw refused;
        }
        List<DeclaredFacts.Mismatch> mismatches = DeclaredFacts.mismatches(submission.declared(), facts);
        if (!mismatches.isEmpty()) {
            List<String> fields = mismatches.stream().map(DeclaredFacts.Mismatch::field).toList();
            throw new Refusal(new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "facts_mismatch",
                    "What the request declares differs from what its arguments do (" + String.join(", ", fields)
                            + "); the tool catalog derives these facts from the arguments, so leave them out or send the derived values",
                    Map.of("mismatches", mismatches)), Map.of("reason", "facts_mismatch", "mismatches", mismatches));
        }
        return facts;
    }

    /** A call the catalog refuses in a way the audit log must show: the problem to answer, and what to record. */
    static final class Refusal extends RuntimeException {
        private final ApiProblem problem;
        private final Map<String, Object> audited;

        Refusal(ApiProblem problem, Map<String, Object> audited) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
            this.audited = audited;
        }

        ApiProblem problem() {
            return problem;
        }

        Map<String, Object> audited() {
            return audited;
        }
    }
}

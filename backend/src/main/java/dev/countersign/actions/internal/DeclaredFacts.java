package dev.countersign.actions.internal;

import dev.countersign.catalog.DerivedFacts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What an agent may still say about its action, held against what the catalog derived. A
 * declaration that differs is not corrected but refused: an agent that says "10 EUR" while its
 * arguments move 9,000,000 is lying or confused, and either way a human should see it in the
 * audit log rather than have Countersign quietly pick one.
 */
final class DeclaredFacts {

    /** One declared field that differs from the derived fact; {@code derived} is null when the catalog derives none. */
    record Mismatch(String field, String declared, String derived) {
    }

    private DeclaredFacts() {
    }

    /** Equal means equal after normalisation: surrounding space, letter case, and decimal scale (1250 = 1250.00). */
    static List<Mismatch> mismatches(ActionSubmission.Declared declared, DerivedFacts derived) {
        List<Mismatch> found = new ArrayList<>();
        text("category", declared.category(), derived.category(), found);
        text("dataClassification", declared.dataClassification(), derived.dataClassification(), found);
        text("environment", declared.environment(), derived.environment(), found);
        text("resource", declared.resource(), derived.resource(), found);
        if (declared.amount() != null) {
            BigDecimal value = declared.amount().value();
            boolean same = derived.amount() != null && value.compareTo(derived.amount()) == 0;
            if (!same) {
                found.add(new Mismatch("amount.value", value.toPlainString(),
                        derived.amount() == null ? null : derived.amount().toPlainString()));
            }
            text("amount.currency", declared.amount().currency(), derived.currency(), found);
        }
        return List.copyOf(found);
    }

    private static void text(String field, String declared, String derived, List<Mismatch> found) {
        if (declared != null && !Objects.equals(normal(declared), normal(derived))) {
            found.add(new Mismatch(field, declared, derived));
        }
    }

    private static String normal(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}

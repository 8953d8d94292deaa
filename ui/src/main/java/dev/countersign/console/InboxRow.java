package dev.countersign.console;

import dev.countersign.actions.ActionRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the inbox: a request, or look-alike pending asks (the same agent, tool and rule, each within {@code window}
 * of the one before) that an approver sees as one group with its count and total, newest first. The rule is part of
 * the likeness: a large payment among small ones is not one of them, and a group is decided under one rule's terms.
 */
record InboxRow(List<ActionRequest> requests) {

    InboxRow {
        requests = List.copyOf(requests);
    }

    boolean isGroup() {
        return requests.size() > 1;
    }

    ActionRequest newest() {
        return requests.getFirst();
    }

    String tool() {
        return newest().tool();
    }

    String agent() {
        return newest().agent();
    }

    boolean contains(String id) {
        return requests.stream().anyMatch(r -> r.id().equals(id));
    }

    /** Groups by agent, tool and rule; a gap longer than {@code window} between two asks starts a new group. */
    static List<InboxRow> of(List<ActionRequest> pending, Duration window) {
        Map<String, List<ActionRequest>> byAgentAndTool = new LinkedHashMap<>();
        pending.stream().sorted(Comparator.comparing(ActionRequest::createdAt).reversed())
                .forEach(r -> byAgentAndTool.computeIfAbsent(r.agent() + "\u0000" + r.tool() + "\u0000" + r.decision().rule(),
                        key -> new ArrayList<>()).add(r));
        List<InboxRow> rows = new ArrayList<>();
        byAgentAndTool.values().forEach(asks -> {
            List<ActionRequest> group = new ArrayList<>();
            for (ActionRequest ask : asks) {
                if (!group.isEmpty() && Duration.between(ask.createdAt(), group.getLast().createdAt()).compareTo(window) > 0) {
                    rows.add(new InboxRow(group));
                    group = new ArrayList<>();
                }
                group.add(ask);
            }
            rows.add(new InboxRow(group));
        });
        rows.sort(Comparator.comparing((InboxRow row) -> row.newest().createdAt()).reversed());
        return rows;
    }

    /** The sum when every ask has an amount in one currency, e.g. "420.00 EUR"; null otherwise. */
    String total() {
        var currencies = requests.stream().map(r -> r.amount() == null ? null : r.amount().currency()).distinct().toList();
        if (currencies.size() != 1 || currencies.getFirst() == null) {
            return null;
        }
        BigDecimal sum = requests.stream().map(r -> new BigDecimal(r.amount().value())).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new ActionRequest.Amount(sum.toPlainString(), currencies.getFirst()).display();
    }

    /** "14 × payments.transfer, 420.00 EUR to 14 payees, in the last 2 min". */
    String summary(Instant now) {
        return requests.size() + " × " + tool() + ", " + what(now);
    }

    /** "420.00 EUR to 14 payees, in the last 2 min": the group's "what" beside its tool. */
    String what(Instant now) {
        long payees = requests.stream().map(ActionRequest::payee).filter(Objects::nonNull).distinct().count();
        long resources = requests.stream().map(ActionRequest::resource).filter(Objects::nonNull).distinct().count();
        String total = total();
        String spread = total != null ? total + (payees > 0 ? " to " + payees + " payee" + (payees == 1 ? "" : "s") : "") + ", "
                : resources > 0 ? "on " + resources + " resource" + (resources == 1 ? "" : "s") + ", " : "";
        Instant oldest = requests.getLast().createdAt();
        return spread + "in the last " + ConsoleFormat.duration(java.time.Duration.between(oldest, now));
    }
}

package dev.countersign.console;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.Insights;
import dev.countersign.approvals.ApprovalsProperties;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Admins: who carries the approvals lately. An approver past the fatigue threshold is asked for a comment with each
 * further approval; here an admin sees it coming and can spread the load.
 */
@Route(value = "admin/approvers", layout = ConsoleLayout.class)
@PageTitle("Approvers · Countersign")
@RolesAllowed("admin")
public class ApproversView extends VerticalLayout {

    /** One approver's load: approvals within the fatigue window and in the last day. */
    record Load(String approver, long recent, long today, boolean tired) {
    }

    final Grid<Load> grid = new Grid<>();

    public ApproversView(Insights insights, ApprovalsProperties properties, Clock clock) {
        var fatigue = properties.fatigue();
        var now = clock.instant();
        Map<String, Long> recent = insights.approvalsPerApprover(now.minus(fatigue.within()));
        Map<String, Long> day = insights.approvalsPerApprover(now.minus(Duration.ofDays(1)));
        List<Load> loads = day.entrySet().stream()
                .map(entry -> {
                    long lately = recent.getOrDefault(entry.getKey(), 0L);
                    return new Load(entry.getKey(), lately, entry.getValue(), fatigue.enabled() && lately >= fatigue.approvals());
                })
                .sorted(java.util.Comparator.comparingLong(Load::recent).reversed().thenComparing(Load::approver))
                .toList();
        grid.setId("approvers");
        grid.setAriaLabel("Approvals per approver");
        grid.addColumn(Load::approver).setHeader("Approver").setAutoWidth(true);
        grid.addColumn(Load::recent).setHeader("Approvals, last " + ConsoleFormat.duration(fatigue.within())).setAutoWidth(true);
        grid.addColumn(Load::today).setHeader("Approvals, last 24 h").setAutoWidth(true);
        grid.addColumn(load -> load.tired() ? "asked for a comment on each approval" : "").setHeader("Fatigue guard").setFlexGrow(1);
        grid.setItems(loads);
        grid.setAllRowsVisible(true);
        var explained = new Paragraph(fatigue.enabled()
                ? "An approver with " + fatigue.approvals() + " or more approvals within " + ConsoleFormat.duration(fatigue.within())
                        + " must say why in a comment on the next one (countersign.approvals.fatigue)."
                : "The fatigue guard is off (countersign.approvals.fatigue.approvals: 0).");
        var empty = new Paragraph("Nobody approved anything in the last 24 hours.");
        empty.setVisible(loads.isEmpty());
        add(new H1("Approvers"), explained, empty, grid);
    }
}

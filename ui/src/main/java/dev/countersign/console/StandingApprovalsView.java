package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.StandingApproval;
import dev.countersign.actions.StandingApprovals;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;

/**
 * The standing approvals of the rules this approver approves under (all for admins): what each
 * covers, how much of it is left, until when; any of them can revoke one at any time.
 */
@Route(value = "standing", layout = ConsoleLayout.class)
@PageTitle("Standing approvals · Countersign")
@PermitAll
public class StandingApprovalsView extends VerticalLayout {

    private final StandingApprovals standing;
    private final Caller.Approver approver;
    private final Clock clock;
    final Grid<StandingApproval> grid = new Grid<>();
    final Checkbox ended = new Checkbox("Show ended ones");

    public StandingApprovalsView(StandingApprovals standing, CurrentApprover current, Clock clock) {
        this.standing = standing;
        this.approver = current.get();
        this.clock = clock;
        grid.setId("standing-approvals");
        grid.addColumn(StandingApproval::agent).setHeader("Agent").setAutoWidth(true);
        grid.addColumn(this::covers).setHeader("Covers").setFlexGrow(1);
        grid.addColumn(this::left).setHeader("Left").setAutoWidth(true);
        grid.addColumn(s -> String.join(", ", s.approvedBy())).setHeader("Given by").setAutoWidth(true);
        grid.addColumn(s -> s.endReason() == null ? s.status() : s.status() + ": " + s.endReason()).setHeader("Status").setAutoWidth(true);
        grid.addComponentColumn(this::revokeFor).setHeader("Revoke").setAutoWidth(true);
        grid.setAllRowsVisible(true);
        ended.addValueChangeListener(change -> refresh());
        add(new H1("Standing approvals"), new Paragraph("Approved in advance: asks within these terms are approved at once. Each"
                + " ends when used up or expired, when the policy, the tool catalog or the agent's model or instructions change,"
                + " or when you revoke it."), ended, grid);
        refresh();
    }

    private String covers(StandingApproval s) {
        StringBuilder text = new StringBuilder(s.tool());
        if (s.amountAtMost() != null) {
            text.append(" up to ").append(s.amountAtMost().toPlainString()).append(' ').append(s.currency());
        }
        if (s.environment() != null) {
            text.append(" in ").append(s.environment());
        }
        if (s.resource() != null) {
            text.append(" on ").append(s.resource());
        }
        if (s.chain() != null && !s.chain().isEmpty()) {
            text.append(" (delegated: ").append(String.join(" → ", s.chain())).append(')');
        }
        return text.append(" · rule ").append(s.rule()).toString();
    }

    private String left(StandingApproval s) {
        StringBuilder text = new StringBuilder();
        if (s.uses() != null) {
            text.append(s.uses() - s.used()).append(" of ").append(s.uses()).append(" asks");
        }
        if (s.budget() != null) {
            text.append(text.isEmpty() ? "" : ", ").append(s.budget().subtract(s.spent()).toPlainString()).append(' ').append(s.currency());
        }
        return text.append(" · ").append("ACTIVE".equals(s.status()) ? ConsoleFormat.timeLeft(s.expiresAt(), clock.instant()) : "ended")
                .toString();
    }

    private Button revokeFor(StandingApproval s) {
        var button = new Button("Revoke", click -> {
            try {
                standing.revoke(approver, s.id(), "revoked in the console");
                Notification.show("Standing approval " + s.id() + " revoked: the next ask like it goes to approvers again");
            } catch (ApiProblem refused) {
                Notification.show(refused.getMessage());
            }
            refresh();
        });
        button.setId("revoke-" + s.id());
        button.addThemeVariants(ButtonVariant.LUMO_ERROR);
        button.setVisible("ACTIVE".equals(s.status()));
        button.setAriaLabel("Revoke standing approval " + s.id() + " for " + s.agent());
        return button;
    }

    void refresh() {
        grid.setItems(standing.visibleTo(approver, !ended.getValue()));
    }
}

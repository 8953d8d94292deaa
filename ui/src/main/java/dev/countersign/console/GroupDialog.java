package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextArea;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.approvals.Approvals;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Look-alike asks decided together: denied with one comment always; approved together only where every ask's rule
 * allows it ({@code groupApproval: true}), after the count and total are confirmed once more. Either way each
 * request gets its own vote, through the same rules as a single one (eligibility, step-up, fatigue).
 */
class GroupDialog extends Dialog {

    final TextArea comment = new TextArea("Comment (one for all of them; required)");
    final Button denyAll;
    final Button approveAll;
    final Paragraph outcome = new Paragraph();

    GroupDialog(InboxRow group, Approvals approvals, dev.countersign.policy.Policy policy, Caller.Approver approver, Clock clock) {
        setHeaderTitle(group.summary(clock.instant()));
        setWidth("min(40rem, 100vw)");
        var list = new UnorderedList();
        list.setId("group-requests");
        group.requests().forEach(r -> list.add(new ListItem(ConsoleFormat.sentence(r) + " · " + r.agentLabel() + " · asked "
                + ConsoleFormat.age(r.createdAt(), clock.instant()))));
        list.addClassName("agent-text");
        comment.setId("group-comment");
        comment.setWidthFull();
        comment.setMaxLength(2000);
        outcome.setId("group-outcome");
        String total = group.total();
        String count = group.requests().size() + " requests" + (total == null ? "" : " (" + total + ")");
        denyAll = new Button("Deny all " + group.requests().size(), click -> vote(group, Vote.DENY, approvals, approver));
        denyAll.setId("deny-group");
        denyAll.addThemeVariants(ButtonVariant.LUMO_ERROR);
        approveAll = new Button("Approve all " + count, click -> {
            var confirm = new ConfirmDialog("Approve " + count + "?",
                    "Each request gets your approval: " + group.summary(clock.instant()) + ".", "Approve all",
                    confirmed -> vote(group, Vote.APPROVE, approvals, approver));
            confirm.setCancelable(true);
            confirm.setId("confirm-group");
            confirm.open();
        });
        approveAll.setId("approve-group");
        approveAll.addThemeVariants(ButtonVariant.LUMO_SUCCESS);
        // The rule's word only (no brief: that reads each request's history, which this does not need).
        boolean allowed = group.requests().stream().allMatch(r -> r.decision() != null && r.decision().rule() != null
                && policy.approvesInGroups(r.decision().rule()));
        approveAll.setVisible(allowed);
        var why = new Paragraph(allowed ? "" : "Their rule does not allow approving them together: open each to approve it.");
        why.setVisible(!allowed);
        var close = new Button("Close", click -> close());
        add(list, comment, outcome, why);
        getFooter().add(close, denyAll, approveAll);
    }

    void vote(InboxRow group, Vote vote, Approvals approvals, Caller.Approver approver) {
        if (comment.getValue().isBlank()) {
            comment.setInvalid(true);
            comment.setErrorMessage(vote == Vote.DENY ? "Say why you deny them: the agent's owner reads this."
                    : "Say why these are right together: approving many at once deserves a sentence.");
            return;
        }
        List<String> refused = new ArrayList<>();
        int counted = 0;
        for (ActionRequest r : group.requests()) {
            try {
                approvals.vote(approver, r.id(), vote, comment.getValue(), Channel.CONSOLE);
                counted++;
            } catch (ApiProblem refusal) {
                refused.add(r.id() + ": " + refusal.getMessage());
            }
        }
        String done = (vote == Vote.DENY ? "Denied " : "Approved ") + counted + " of " + group.requests().size();
        outcome.setText(refused.isEmpty() ? done + "." : done + "; not counted: " + String.join("; ", refused));
        Notification.show(done);
        denyAll.setEnabled(false);
        approveAll.setEnabled(false);
    }
}

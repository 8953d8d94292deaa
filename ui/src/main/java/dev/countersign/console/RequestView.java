package dev.countersign.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionView;
import dev.countersign.approvals.Approvals;
import dev.countersign.approvals.Channel;
import dev.countersign.approvals.Vote;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import dev.countersign.notifications.Deliveries;
import jakarta.annotation.security.PermitAll;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request in full, with Approve and Deny. Everything the agent wrote is set as text, never
 * as HTML, so arguments cannot inject markup into the approver's page.
 */
@Route(value = "requests", layout = ConsoleLayout.class)
@PageTitle("Request · Countersign")
@PermitAll
public class RequestView extends VerticalLayout implements HasUrlParameter<String> {

    private final ActionRequests actions;
    private final Approvals approvals;
    private final ConsoleEvents events;
    private final JsonMapper json;
    private final Deliveries deliveries;
    private final Caller.Approver approver;
    private final VerticalLayout details = new VerticalLayout();
    private final TextArea comment = new TextArea("Comment (required to deny)");
    private final Button approve = new Button("Approve");
    private final Button deny = new Button("Deny");
    private final Paragraph cannotVote = new Paragraph();
    private String requestId;
    private Runnable unsubscribe;

    public RequestView(ActionRequests actions, Approvals approvals, ConsoleEvents events, JsonMapper json, Deliveries deliveries,
                       CurrentApprover current) {
        this.actions = actions;
        this.deliveries = deliveries;
        this.approvals = approvals;
        this.events = events;
        this.json = json.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
        this.approver = current.get();
        approve.setId("approve");
        deny.setId("deny");
        comment.setId("comment");
        comment.setWidthFull();
        comment.setMaxLength(2000);
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        deny.addThemeVariants(ButtonVariant.LUMO_ERROR);
        approve.addClickListener(click -> vote(Vote.APPROVE));
        deny.addClickListener(click -> vote(Vote.DENY));
        details.setPadding(false);
        add(details, cannotVote, comment, new HorizontalLayout(approve, deny));
    }

    @Override
    public void setParameter(BeforeEvent event, String id) {
        this.requestId = id;
        render();
    }

    private void render() {
        details.removeAll();
        var found = actions.find(requestId).filter(r -> approver.isAdmin() || approvals.isEligible(approver, r));
        if (found.isEmpty()) {
            details.add(new H2("Not found"), new Paragraph("This request does not exist or is not yours to see."));
            approve.setEnabled(false);
            deny.setEnabled(false);
            comment.setVisible(false);
            return;
        }
        ActionView r = found.get();
        details.add(new H2(r.tool()));
        line("Status", r.status().name());
        line("Category", r.category());
        line("Environment", r.environment());
        line("Amount", r.amount() == null ? null : r.amount().value() + " " + r.amount().currency());
        line("Data classification", r.dataClassification());
        line("Resource", r.resource());
        line("Agent", r.agent());
        line("On behalf of", r.onBehalfOf());
        line("Justification", r.justification());
        line("Rule", r.decision().rule() + " — " + r.decision().reason());
        line("Approvals", r.approvals() + " of " + r.approval().quorum() + " from " + String.join(", ", r.approval().approvers()));
        r.decision().votes().forEach(v -> line("Vote", v.approver() + ": " + v.vote() + (v.comment() == null ? "" : " — " + v.comment())));
        line("Expires", String.valueOf(r.approval().expiresAt()));
        // A message Slack refused is shown here: the approvers it was meant for were never asked there.
        deliveries.of(r.id()).forEach(delivery -> line("Notified", delivery.describe()));
        var arguments = new Pre(json.writeValueAsString(r.arguments()));
        arguments.setId("arguments");
        arguments.getStyle().set("max-width", "100%").set("overflow", "auto").set("white-space", "pre-wrap").set("word-break", "break-all");
        details.add(new Paragraph("Arguments"), arguments);
        var why = approvals.whyNot(approver, r);
        approve.setEnabled(why.isEmpty());
        deny.setEnabled(why.isEmpty());
        comment.setEnabled(why.isEmpty());
        cannotVote.setText(why.orElse(""));
        cannotVote.setVisible(why.isPresent());
    }

    private void line(String label, String value) {
        if (value != null && !value.isBlank()) {
            var paragraph = new Paragraph();
            paragraph.setText(label + ": " + value);
            details.add(paragraph);
        }
    }

    private void vote(Vote vote) {
        try {
            approvals.vote(approver, requestId, vote, comment.getValue(), Channel.CONSOLE);
            Notification.show(vote == Vote.APPROVE ? "Approval counted" : "Denied");
            comment.clear();
        } catch (ApiProblem refused) {
            Notification.show(refused.getMessage());
        }
        render();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        var ui = attach.getUI();
        unsubscribe = events.subscribe(id -> {
            if (id.equals(requestId)) {
                ui.access(this::render);
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (unsubscribe != null) {
            unsubscribe.run();
        }
    }
}

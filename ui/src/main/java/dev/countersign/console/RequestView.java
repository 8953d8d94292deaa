package dev.countersign.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Insights;
import dev.countersign.actions.StandingTerms;
import dev.countersign.actions.Vote;
import dev.countersign.approvals.Approvals;
import dev.countersign.approvals.Brief;
import dev.countersign.audit.AuditLog;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import dev.countersign.identity.Callers;
import dev.countersign.notifications.Deliveries;
import dev.countersign.policy.Policy;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request, decision first: what will happen in words, what is unusual, and Approve/Deny above the fold (at
 * 1280×800 and on a 390 px phone); then who asks and why, the facts, the arguments with what changed since the last
 * approved request like it, earlier decisions and the timeline. Everything the agent wrote is set as text, never as
 * HTML, so arguments cannot inject markup into the approver's page; long or deep arguments scroll inside their own box.
 */
@Route(value = "requests", layout = ConsoleLayout.class)
@PageTitle("Request · Countersign")
@PermitAll
public class RequestView extends VerticalLayout implements HasUrlParameter<String> {

    /** How far back an earlier denial of the same action earns a warning. */
    static final Duration RECENT = Duration.ofDays(1);

    private final ActionRequests actions;
    private final Approvals approvals;
    private final AuditLog audit;
    private final Deliveries deliveries;
    private final Clock clock;
    private final JsonMapper json;
    private final Caller.Approver approver;
    private final VerticalLayout details = new VerticalLayout();
    /** The top of the page: title, what will happen, what is unusual, the step-up notice. */
    private final VerticalLayout summary = new VerticalLayout();
    final Paragraph stepUpNotice = new Paragraph();
    final Button signInAgain = new Button("Sign in again");
    private final Insights insights;
    private final Callers callers;
    /** The approver registered a passkey: step-up rules want a passkey sign-in from them. */
    private final boolean passkey;
    /** The agent's words shown before the buttons: the whole text follows in the details. */
    static final int JUSTIFICATION_SHOWN = 200;
    final TextArea comment = new TextArea("Comment (required to deny)");
    final Button approve = new Button("Approve");
    final Button deny = new Button("Deny");
    final Paragraph cannotVote = new Paragraph();
    /** "Approve this and the next ones like it", where the request's rule allows standing approvals. */
    final Checkbox standing = new Checkbox(
            "Also approve the next ones like it (same agent and rule, up to this amount)");
    final IntegerField standingUses = new IntegerField("How many");
    final TextField standingFor = new TextField("For how long");
    private final FlexLayout standingTerms;
    private final Policy policy;
    private final FlexLayout voting;
    private String requestId;

    public RequestView(ActionRequests actions, Approvals approvals, ConsoleEvents events, AuditLog audit, Deliveries deliveries,
                       JsonMapper json, Clock clock, CurrentApprover current, Policy policy,
                       Insights insights, Callers callers) {
        this.insights = insights;
        this.callers = callers;
        this.policy = policy;
        this.actions = actions;
        this.approvals = approvals;
        this.audit = audit;
        this.deliveries = deliveries;
        this.clock = clock;
        this.json = json.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
        this.approver = current.forVoting();
        this.passkey = current.hasPasskey(approver);
        approve.setId("approve");
        deny.setId("deny");
        comment.setId("comment");
        comment.setWidthFull();
        comment.setMaxLength(2000);
        comment.setHelperText("The agent and its owner see this.");
        cannotVote.setId("cannot-vote");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        deny.addThemeVariants(ButtonVariant.LUMO_ERROR);
        approve.addClickListener(click -> vote(Vote.APPROVE));
        deny.addClickListener(click -> vote(Vote.DENY));
        details.setPadding(false);
        voting = new FlexLayout(approve, deny);
        voting.getStyle().set("gap", "var(--lumo-space-s)");
        standing.setId("standing");
        standingUses.setId("standing-uses");
        standingUses.setMin(1);
        standingUses.setValue(10);
        standingUses.setStepButtonsVisible(true);
        standingFor.setId("standing-for");
        standingFor.setValue("1h");
        standingFor.setHelperText("e.g. 30m, 8h");
        standingTerms = new FlexLayout(standingUses, standingFor);
        standingTerms.getStyle().set("gap", "var(--lumo-space-s)");
        standingTerms.setVisible(false);
        standing.addValueChangeListener(change -> standingTerms.setVisible(change.getValue()));
        summary.setPadding(false);
        summary.setSpacing(false);
        summary.setId("summary");
        stepUpNotice.setId("step-up");
        stepUpNotice.addClassName("warning");
        signInAgain.setId("sign-in-again");
        signInAgain.addClickListener(click -> signInAgain());
        comment.setMinHeight("4.5rem");
        comment.setMaxHeight("8rem");
        var decision = new VerticalLayout(summary, stepUpNotice, signInAgain, cannotVote, comment, standing, standingTerms, voting);
        decision.setPadding(false);
        decision.setId("decision");
        decision.addClassName("decision");
        add(decision, details);
        setMaxWidth("60rem");
        events.whileAttached(this, changed -> {
            if (changed.equals(requestId)) {
                render();
            }
        });
    }

    @Override
    public void setParameter(BeforeEvent event, String id) {
        this.requestId = id;
        render();
    }

    void render() {
        details.removeAll();
        var found = actions.find(requestId).filter(r -> approver.isAdmin() || approvals.isEligible(approver, r));
        summary.removeAll();
        if (found.isEmpty()) {
            summary.add(new H1("Not found"), new Paragraph("This request does not exist or is not yours to see. Your inbox lists what awaits you."));
            List.of(approve, deny, comment, voting, cannotVote, standing, standingTerms, stepUpNotice, signInAgain).forEach(c -> c.setVisible(false));
            return;
        }
        ActionRequest r = found.get();
        var brief = approvals.brief(r);
        summarise(r, brief);
        var history = actions.history(r.actionHash(), r.id(), 10);
        recentDenial(history).ifPresent(summary::add);
        repeatOfARun(r, history).ifPresent(summary::add);

        var facts = new DescriptionList();
        facts.addClassName("facts");
        fact(facts, "Status", r.status().name());
        var entries = audit.entriesFor(r.id());
        RunOutcome.of(r, entries, clock.instant(), json).ifPresent(outcome -> fact(facts, "Outcome", outcome));
        fact(facts, "Category", r.category());
        fact(facts, "Environment", Brief.environment(r));
        fact(facts, "Amount", ConsoleFormat.amount(r));
        fact(facts, "Payee", r.payee());
        fact(facts, "Data classification", r.dataClassification());
        fact(facts, "Resource", r.resource());
        fact(facts, "Agent", r.agentLabel());
        if (r.delegation() != null) {
            fact(facts, "Delegated by", r.delegation().text() + (r.delegation().rootIsPerson() ? " (started by a person: "
                    + r.delegation().root() + ")" : " (started by agent " + r.delegation().root() + ")"));
        }
        if (r.runtime() != null) {
            fact(facts, "Runtime", r.runtime().text() + (r.runtime().attested().isEmpty() ? " (as the agent states it)"
                    : " (attested by its token: " + String.join(", ", r.runtime().attested()) + ")"));
            fact(facts, "Runtime changed since its last approved request", r.runtime().changedText());
        }
        fact(facts, "On behalf of", r.onBehalfOf());
        fact(facts, "Justification (the agent's words)", r.justification());
        fact(facts, "Context (as the agent states it)", r.contextText());
        fact(facts, "Rule", r.decision().rule() + " (policy " + r.decision().policyVersion() + ")");
        if (r.decision().standingApproval() != null) {
            fact(facts, "Standing approval", r.decision().standingApproval() + (r.decision().by() == dev.countersign.actions.DecidedBy.STANDING_APPROVAL
                    ? " approved it (Standing approvals)" : " was given with this approval (Standing approvals)"));
        }
        fact(facts, "Why", r.decision().reason());
        if (r.approval() != null) {
            fact(facts, "Approvals", r.approvals() + " of " + r.approval().quorum() + " from " + String.join(", ", r.approval().approvers()));
        }
        r.decision().votes().forEach(v -> fact(facts, "Vote", v.approver() + ": " + v.vote() + " via " + v.via()
                + (v.comment() == null ? "" : " — " + v.comment())));
        if (r.status() == ActionStatus.PENDING && r.approval() != null) {
            fact(facts, "Time left", ConsoleFormat.timeLeft(r.approval().expiresAt(), clock.instant())
                    + " (" + ConsoleFormat.time(r.approval().expiresAt()) + ")");
        }
        deliveries.of(r.id()).forEach(delivery -> fact(facts, "Notified", delivery.describe()));

        var arguments = new Pre();
        arguments.setText(json.writeValueAsString(r.arguments()));
        arguments.setId("arguments");
        arguments.addClassName("arguments");
        arguments.getElement().setAttribute("aria-label", "Arguments");
        details.add(new H2("Details"), facts, new H2("Arguments"), arguments);
        sinceLastApproved(r).ifPresent(details::add);
        ProcessStep.of(r, entries.stream().map(dev.countersign.audit.AuditEntry::type).toList()).ifPresent(step -> {
            var where = new Paragraph(step.text());
            where.setId("process-step");
            details.add(new H2("Process"), where, new ProcessDiagram(step));
        });
        details.add(earlierDecisions(history), timeline(entries));

        var why = approvals.whyNot(approver, r);
        boolean stale = why.isEmpty() && brief.stepUp() != null && !approver.signedInWithin(brief.stepUp(), clock.instant());
        stepUpNotice.setText(brief.stepUp() == null ? "" : "Rule " + r.decision().rule() + " counts an approval only within "
                + ConsoleFormat.duration(brief.stepUp()) + " of signing in"
                + (passkey ? " with your passkey" : "")
                + (approver.signedInAt() == null ? "." : " (you signed in " + ConsoleFormat.age(approver.signedInAt(), clock.instant()) + ").")
                + (stale ? " Sign in again" + (passkey ? " with your passkey" : "") + " to approve; you can deny now." : ""));
        stepUpNotice.setVisible(why.isEmpty() && brief.stepUp() != null);
        // Offered whenever the rule wants a fresh sign-in: an approver may renew it before the window closes.
        signInAgain.setVisible(why.isEmpty() && brief.stepUp() != null);
        signInAgain.setThemeName(stale ? "primary" : "tertiary");
        if (approvals.isTired(approver) && why.isEmpty()) {
            comment.setLabel("Comment (required: you approved many requests in a short time; say why this one is right)");
        } else {
            comment.setLabel("Comment (required to deny)");
        }
        approve.setEnabled(why.isEmpty() && !stale);
        deny.setEnabled(why.isEmpty());
        comment.setEnabled(why.isEmpty());
        cannotVote.setText(why.map(reason -> reason + ".").orElse(""));
        cannotVote.setVisible(why.isPresent());
        boolean standingAllowed = why.isEmpty() && r.decision().rule() != null && policy.standingCap(r.decision().rule()).isPresent()
                && policy.version().equals(r.decision().policyVersion());
        standing.setVisible(standingAllowed);
        standingTerms.setVisible(standingAllowed && standing.getValue());
    }

    /** The title, the sentence that says what will happen, the tool in the catalog's words, and what is unusual. */
    private void summarise(ActionRequest r, Brief brief) {
        var title = new H1(r.tool());
        title.addClassName("request-title");
        summary.add(title);
        var what = new Paragraph(ConsoleFormat.sentence(r));
        what.setId("what");
        what.addClassName("what");
        summary.add(what);
        if (brief.description() != null) {
            var description = new Paragraph(brief.description());
            description.setId("description");
            description.addClassName("secondary");
            summary.add(description);
        }
        var who = new Paragraph("Asked by " + r.agentLabel() + callers.ownerOf(r.agent()).map(owner -> " (owner " + owner + ")").orElse("")
                + (r.delegation() == null ? "" : " · delegated " + r.delegation().text())
                + (r.runtime() == null ? "" : " · runs " + r.runtime().text()));
        who.setId("who");
        who.addClassName("secondary");
        summary.add(who);
        if (r.justification() != null && !r.justification().isBlank()) {
            String words = r.justification().strip();
            var why = new Paragraph("The agent says: “" + (words.length() > JUSTIFICATION_SHOWN
                    ? words.substring(0, JUSTIFICATION_SHOWN) + "…" : words) + "”");
            why.setId("why");
            why.addClassNames("agent-text", "agent-words");
            summary.add(why);
        }
        if (Brief.isProduction(r)) {
            var prod = new Span("PRODUCTION");
            prod.setId("prod");
            prod.addClassName("prod");
            summary.add(prod);
        }
        if (!brief.unusual().isEmpty()) {
            var list = new UnorderedList();
            list.setId("unusual");
            list.addClassName("unusual");
            list.getElement().setAttribute("aria-label", "What is unusual");
            brief.unusual().forEach(u -> {
                var item = new ListItem(u.text());
                item.getElement().setAttribute("data-code", u.code());
                list.add(item);
            });
            summary.add(list);
        }
    }

    /** What changed in the arguments since this agent's last approved request of the same tool, line by line. */
    private Optional<VerticalLayout> sinceLastApproved(ActionRequest r) {
        return insights.lastApproved(r).map(last -> {
            var section = new VerticalLayout(new H2("Since its last approved " + r.tool()));
            section.setPadding(false);
            List<String> before = List.of(json.writeValueAsString(last.arguments()).split("\n"));
            List<String> after = List.of(json.writeValueAsString(r.arguments()).split("\n"));
            var diff = com.github.difflib.UnifiedDiffUtils.generateUnifiedDiff(last.id() + " (approved " + ConsoleFormat.time(last.updatedAt()) + ")",
                    "this request", before, com.github.difflib.DiffUtils.diff(before, after), 2);
            var text = new Pre();
            text.setId("arguments-diff");
            text.addClassName("arguments");
            text.setText(diff.isEmpty() ? "The same arguments as " + last.id() + "." : String.join("\n", diff));
            section.add(text);
            return section;
        });
    }

    /** A fresh sign-in for a step-up rule ({@link SignInAgain}): the session ends, and the sign-in leads back here. */
    private void signInAgain() {
        getUI().ifPresent(ui -> ui.getPage().setLocation(SignInAgain.PATH.substring(1) + "?request="
                + java.net.URLEncoder.encode(requestId, java.nio.charset.StandardCharsets.UTF_8)));
    }

    private Optional<Div> recentDenial(List<ActionRequest> history) {
        var since = clock.instant().minus(RECENT);
        return history.stream()
                .filter(h -> h.status() == ActionStatus.DENIED && h.updatedAt().isAfter(since))
                .findFirst()
                .map(denied -> {
                    var warning = new Div();
                    warning.setId("recent-denial");
                    warning.addClassName("warning");
                    warning.setText("This exact action was denied " + ConsoleFormat.age(denied.updatedAt(), clock.instant())
                            + (denied.decision().reason() == null ? "" : ": " + denied.decision().reason()));
                    return warning;
                });
    }

    /**
     * The same action was approved and ran not long ago, and this request asks again: the agent said it means to run it
     * once more (an identical ask within the replay window joins the approval instead), and approvers see it is a repeat.
     */
    private Optional<Div> repeatOfARun(ActionRequest request, List<ActionRequest> history) {
        if (request.status() != ActionStatus.PENDING) {
            return Optional.empty();
        }
        return history.stream().filter(h -> h.status() == ActionStatus.APPROVED)
                .map(h -> {
                    var entries = audit.entriesFor(h.id());
                    return RunOutcome.ran(h, entries) ? RunOutcome.of(h, entries, clock.instant(), json) : Optional.<String>empty();
                })
                .flatMap(Optional::stream).findFirst()
                .map(ran -> {
                    var note = new Div();
                    note.setId("repeat-of-run");
                    note.addClassName("warning");
                    note.setText("A repeat: this exact action was already approved and run (" + ran.replace("Approved → ", "")
                            + "). Approving runs it once more.");
                    return note;
                });
    }

    private VerticalLayout earlierDecisions(List<ActionRequest> history) {
        var section = new VerticalLayout(new H2("Earlier decisions on this action"));
        section.setPadding(false);
        section.setId("history");
        if (history.isEmpty()) {
            section.add(new Paragraph("None: the first time this agent asks for exactly this."));
        }
        var list = new OrderedList();
        history.forEach(h -> {
            var item = new ListItem();
            item.setText(ConsoleFormat.time(h.updatedAt()) + " — " + h.status() + (h.decision().reason() == null ? "" : ": " + h.decision().reason()));
            item.addClassName("agent-text");
            list.add(item);
        });
        section.add(list);
        return section;
    }

    private VerticalLayout timeline(List<dev.countersign.audit.AuditEntry> entries) {
        var section = new VerticalLayout(new H2("Timeline"));
        section.setPadding(false);
        section.setId("timeline");
        var list = new OrderedList();
        entries.forEach(entry -> {
            var item = new ListItem();
            item.setText(ConsoleFormat.time(entry.at()) + " — " + Timeline.describe(entry.type()) + " (" + entry.actor() + ")");
            list.add(item);
        });
        section.add(list);
        return section;
    }

    private static void fact(DescriptionList facts, String label, String value) {
        if (value != null && !value.isBlank()) {
            var term = new DescriptionList.Term(label);
            var description = new DescriptionList.Description();
            description.setText(value);
            description.addClassName("agent-text");
            facts.add(term, description);
        }
    }

    /** The terms of the form: this request's own bounds, how many asks, for how long (the rule caps both). */
    private StandingTerms standingTerms() {
        Duration lasting;
        try {
            lasting = org.springframework.boot.convert.DurationStyle.detectAndParse(standingFor.getValue().strip());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("standing.expiresIn",
                    "is not a duration (e.g. 30m, 8h)")));
        }
        return new StandingTerms(null, null, null, null, standingUses.getValue(), null, lasting);
    }

    void vote(Vote vote) {
        if (vote == Vote.DENY && comment.getValue().isBlank()) {
            comment.setInvalid(true);
            comment.setErrorMessage("Say why you deny it: the agent's owner reads this.");
            comment.focus();
            return;
        }
        try {
            var terms = vote == Vote.APPROVE && standing.isVisible() && standing.getValue() ? standingTerms() : null;
            approvals.vote(approver, requestId, vote, comment.getValue(), Channel.CONSOLE, terms);
            Notification.show(vote == Vote.DENY ? "Denied" : terms == null ? "Approval counted"
                    : "Approval counted, with the next ones like it (Standing approvals lists them)");
            standing.clear();
            comment.clear();
            comment.setInvalid(false);
        } catch (ApiProblem refused) {
            Notification.show(refused.getMessage());
        }
        render();
    }


}

package dev.countersign.notifications.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.RichTextBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.block.element.RichTextPreformattedElement;
import com.slack.api.model.block.element.RichTextSectionElement;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.actions.Vote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Block Kit message for one request, pending or decided. Everything the agent wrote
 * (arguments, justification, environment, resource…) goes into {@code plain_text} objects or
 * preformatted rich text, which Slack shows literally: no mention, link or formatting an agent
 * writes can take effect. {@code mrkdwn} carries only Countersign's own words and values it
 * validated (tool names, agent ids from configuration, times).
 */
final class ApprovalMessage {

    static final String APPROVE = "countersign.approve";
    static final String DENY = "countersign.deny";
    static final String OPEN = "countersign.open";
    static final int MAX_ARGUMENTS = 2500;
    static final int MAX_TEXT = 1500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApprovalMessage() {
    }

    /** The notification text (lock screens, screen readers); Slack parses it as mrkdwn, so it is escaped. */
    static String fallback(ActionRequest request) {
        String what = "`" + request.tool() + "` for " + SlackText.escape(request.agentLabel());
        return switch (request.status()) {
            case PENDING -> "Approval needed: " + what;
            default -> outcomeWord(request.status()) + ": " + what;
        };
    }

    static List<LayoutBlock> blocks(ActionRequest request, List<ActionRequest> history, String consoleUrl) {
        return blocks(request, history, consoleUrl, new dev.countersign.approvals.Brief(null, List.of(), null, false));
    }

    /**
     * With the approver's brief: the tool in words, the production mark and what is unusual come before the agent's own
     * text; a rule that needs a fresh sign-in gets "Approve in console" instead of an Approve button.
     */
    static List<LayoutBlock> blocks(ActionRequest request, List<ActionRequest> history, String consoleUrl, dev.countersign.approvals.Brief brief) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String link = consoleUrl + "/requests/" + request.id();
        blocks.add(header(h -> h.text(plainText(request.status() == ActionStatus.PENDING
                ? "Approval needed: " + request.tool() : outcomeWord(request.status()) + ": " + request.tool()))));
        blocks.add(section(s -> s.text(markdownText("*" + SlackText.escape(request.agentLabel()) + "* asks to run `" + request.tool() + "`"))
                .fields(facts(request))));
        if (brief.description() != null) {
            blocks.add(section(s -> s.text(plainText("What it does: " + SlackText.truncate(brief.description(), MAX_TEXT)))));
        }
        var marks = brief.marks(request);
        if (!marks.isEmpty() && request.status() == ActionStatus.PENDING) {
            String risk = (dev.countersign.approvals.Brief.isProduction(request) ? "Risk: PRODUCTION" : "Risk")
                    + brief.unusual().stream().map(u -> "\n• " + u.text()).collect(Collectors.joining());
            blocks.add(section(s -> s.text(plainText(SlackText.truncate(":warning: " + risk, MAX_TEXT)))));
        }
        if (request.delegation() != null) {
            // Who handed the work on: an approver must see that billing-agent acts for an orchestrator (or a person).
            blocks.add(section(s -> s.text(plainText(SlackText.truncate("Delegated: " + request.delegation().text()
                    + (request.delegation().rootIsPerson() ? " (started by a person)" : ""), MAX_TEXT)))));
        }
        if (request.runtime() != null) {
            // A model or prompt that changed since the last approval is what an approver most needs to notice.
            blocks.add(section(s -> s.text(plainText(SlackText.truncate("Runtime: " + request.runtime().text()
                    + " · changed since its last approved request: " + request.runtime().changedText(), MAX_TEXT)))));
        }
        if (request.justification() != null) {
            blocks.add(section(s -> s.text(plainText("Justification: " + SlackText.truncate(request.justification(), MAX_TEXT)))));
        }
        if (request.contextText() != null) {
            blocks.add(section(s -> s.text(plainText("Context (as the agent states it): " + SlackText.truncate(request.contextText(), MAX_TEXT)))));
        }
        String arguments = prettyArguments(request);
        blocks.add(RichTextBlock.builder().elements(List.of(RichTextPreformattedElement.builder()
                .elements(List.of(RichTextSectionElement.Text.builder().text(SlackText.truncate(arguments, MAX_ARGUMENTS)).build()))
                .build())).build());
        if (SlackText.isTruncated(arguments, MAX_ARGUMENTS)) {
            blocks.add(context(c -> c.elements(List.of(markdownText("Arguments are longer than shown: <" + link + "|read them all in the console>")))));
        }
        warnings(history).ifPresent(blocks::add);
        blocks.add(divider());
        if (request.status() == ActionStatus.PENDING && brief.stepUp() != null) {
            blocks.add(section(s -> s.text(plainText("Rule " + request.decision().rule() + " needs a fresh sign-in to approve (within "
                    + brief.stepUp().toMinutes() + " min): approve in the console. You can deny here."))));
            blocks.add(actions(a -> a.blockId("countersign.vote").elements(List.of(denyButton(request), openButton(link)))));
        } else if (request.status() == ActionStatus.PENDING) {
            blocks.add(actions(a -> a.blockId("countersign.vote").elements(buttons(request, link))));
        } else {
            blocks.add(section(s -> s.text(markdownText(outcomeLine(request)))));
            if (request.decision() != null && request.decision().reason() != null) {
                blocks.add(context(c -> c.elements(List.of(plainText(SlackText.truncate(request.decision().reason(), MAX_TEXT))))));
            }
            blocks.add(actions(a -> a.blockId("countersign.open").elements(List.of(openButton(link)))));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText("Request `" + request.id() + "` · Countersign")))));
        return blocks;
    }

    /** A DM to an approver whose standing approval ended: what it covered, and why it no longer stands. */
    static String standingEnded(dev.countersign.actions.StandingApproval standing) {
        String covered = "`" + standing.tool() + "`" + (standing.amountAtMost() == null ? ""
                : " up to " + standing.amountAtMost().toPlainString() + " " + standing.currency());
        return ":no_entry: Your standing approval " + standing.id() + " for " + SlackText.escape(standing.agent()) + " (" + covered
                + ", rule " + standing.rule() + ", " + standing.used() + " used) has ended: "
                + SlackText.truncate(SlackText.escape(String.valueOf(standing.endReason())), MAX_TEXT)
                + ". Its agent's next asks like it go to approvers again.";
    }

    /** A thread reply for the process's reminder. */
    static String reminder(ActionRequest request) {
        long missing = request.approval().quorum() - request.approvals();
        return ":alarm_clock: Still waiting: " + missing + " more approval" + (missing == 1 ? "" : "s") + " needed before "
                + date(request.approval().expiresAt()) + ".";
    }

    private static List<TextObject> facts(ActionRequest request) {
        List<TextObject> fields = new ArrayList<>();
        add(fields, "Category", request.category());
        add(fields, "Environment", dev.countersign.approvals.Brief.environment(request));
        if (request.amount() != null) {
            add(fields, "Amount", request.amount().display());
        }
        add(fields, "Payee", request.payee());
        add(fields, "Data", request.dataClassification());
        add(fields, "Resource", request.resource());
        add(fields, "On behalf of", request.onBehalfOf());
        if (request.decision() != null) {
            add(fields, "Rule", request.decision().rule());
        }
        if (request.approval() != null) {
            String voters = request.votes().stream().filter(v -> v.vote() == Vote.APPROVE).map(ActionRequest.VoteView::approver)
                    .collect(Collectors.joining(", "));
            add(fields, "Approvals", request.approvals() + " of " + request.approval().quorum() + (voters.isEmpty() ? "" : " (" + voters + ")"));
            if (request.status() == ActionStatus.PENDING) {
                fields.add(markdownText("*Expires*\n" + date(request.approval().expiresAt())));
            }
        }
        return fields.size() > 10 ? fields.subList(0, 10) : fields;
    }

    private static void add(List<TextObject> fields, String label, String value) {
        if (value != null && !value.isBlank()) {
            fields.add(plainText(label + "\n" + SlackText.truncate(value, 300)));
        }
    }

    private static java.util.Optional<LayoutBlock> warnings(List<ActionRequest> history) {
        var denied = history.stream().filter(h -> h.status() == ActionStatus.DENIED).toList();
        if (denied.isEmpty()) {
            return java.util.Optional.empty();
        }
        var last = denied.getFirst();
        String reason = last.decision() == null || last.decision().reason() == null ? "" : " (" + last.decision().reason() + ")";
        String text = "Warning: this exact action was denied " + denied.size() + " time" + (denied.size() == 1 ? "" : "s")
                + " before; last at " + last.updatedAt() + reason;
        return java.util.Optional.of(context(c -> c.elements(List.of(plainText(SlackText.truncate(text, MAX_TEXT))))));
    }

    private static List<BlockElement> buttons(ActionRequest request, String link) {
        String summary = request.tool() + (request.amount() == null ? "" : " (" + request.amount().text() + ")");
        return List.of(
                ButtonElement.builder().actionId(APPROVE).value(request.id()).style("primary").text(plainText("Approve"))
                        .confirm(ConfirmationDialogObject.builder().title(plainText("Approve this action?"))
                                .text(plainText(SlackText.truncate("Approve " + summary + " for " + request.agentLabel() + "?", 300)))
                                .confirm(plainText("Approve")).deny(plainText("Back")).build())
                        .build(),
                denyButton(request),
                openButton(link));
    }

    private static ButtonElement denyButton(ActionRequest request) {
        return ButtonElement.builder().actionId(DENY).value(request.id()).style("danger").text(plainText("Deny…")).build();
    }

    private static ButtonElement openButton(String link) {
        return ButtonElement.builder().actionId(OPEN).url(link).text(plainText("Open in console")).build();
    }

    private static String outcomeLine(ActionRequest request) {
        var decision = request.decision();
        String when = decision != null && decision.at() != null ? " " + date(decision.at()) : "";
        return switch (request.status()) {
            case APPROVED -> ":white_check_mark: *Approved* by " + voters(request, Vote.APPROVE) + when;
            case DENIED -> ":no_entry: *Denied*" + (voters(request, Vote.DENY).isEmpty() ? " by policy" : " by " + voters(request, Vote.DENY)) + when;
            case EXPIRED -> ":hourglass: *Expired*: nobody decided in time" + when;
            case CANCELLED -> ":leftwards_arrow_with_hook: *Cancelled* by the agent" + when;
            default -> "*" + request.status() + "*" + when;
        };
    }

    private static String voters(ActionRequest request, Vote vote) {
        return request.votes().stream().filter(v -> v.vote() == vote)
                .map(v -> SlackText.escape(v.approver())).collect(Collectors.joining(", "));
    }

    private static String outcomeWord(ActionStatus status) {
        return switch (status) {
            case APPROVED -> "Approved";
            case DENIED -> "Denied";
            case EXPIRED -> "Expired";
            case CANCELLED -> "Cancelled";
            default -> status.name();
        };
    }

    /** Slack shows it in each reader's own time zone; the fallback is UTC. */
    static String date(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} at {time}|" + at + ">";
    }

    private static String prettyArguments(ActionRequest request) {
        if (request.arguments() == null) {
            return "(no arguments)";
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request.arguments());
    }
}

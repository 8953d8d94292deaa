package dev.countersign.notifications.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewState;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import com.slack.api.util.json.GsonFactory;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.ActionStatus;
import dev.countersign.actions.ActionRequest;
import dev.countersign.approvals.Approvals;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.common.ApiProblem;
import dev.countersign.identity.Caller;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What Slack's buttons and the deny dialog do, whichever way they arrive (HTTP or Socket Mode).
 * {@link #handle} answers at once (Slack waits 3 s at most) and does the voting on a virtual
 * thread; the clicker then gets an ephemeral message saying what happened. Votes go through
 * {@link Approvals}, the same rule book as the API and the console.
 */
@Component
@ConditionalOnSlack
class SlackInteractions {

    static final String DENY_DIALOG = "countersign.deny";
    static final String COMMENT = "comment";
    private static final Logger log = LoggerFactory.getLogger(SlackInteractions.class);
    private static final Gson GSON = GsonFactory.createSnakeCase();

    private final Approvals approvals;
    private final ActionRequests actions;
    private final SlackDirectory directory;
    private final SlackWebApi slack;
    private final JdbcClient jdbc;
    private final Clock clock;

    SlackInteractions(Approvals approvals, ActionRequests actions, SlackDirectory directory, SlackWebApi slack, JdbcClient jdbc,
                      Clock clock) {
        this.approvals = approvals;
        this.actions = actions;
        this.directory = directory;
        this.slack = slack;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The body of the immediate answer to Slack: empty, or {@code response_action} for a dialog. */
    record Ack(String json) {
        static final Ack EMPTY = new Ack("");
    }

    Ack handle(String payloadJson) {
        JsonObject payload = JsonParser.parseString(payloadJson).getAsJsonObject(); // IllegalStateException if not an object
        String type = payload.has("type") ? payload.get("type").getAsString() : "";
        return switch (type) {
            case "block_actions" -> blockActions(GSON.fromJson(payload, BlockActionPayload.class));
            case "view_submission" -> viewSubmission(GSON.fromJson(payload, ViewSubmissionPayload.class));
            default -> Ack.EMPTY; // view_closed, shortcuts…: nothing to do
        };
    }

    private Ack blockActions(BlockActionPayload payload) {
        if (payload.getActions() == null || payload.getActions().isEmpty() || !firstDelivery(payload.getTriggerId())) {
            return Ack.EMPTY;
        }
        var action = payload.getActions().getFirst();
        String user = payload.getUser().getId();
        String channel = payload.getChannel() == null ? null : payload.getChannel().getId();
        String requestId = action.getValue();
        switch (action.getActionId()) {
            case ApprovalMessage.APPROVE -> later(() -> approve(user, channel, requestId));
            // views.open must use the trigger within 3 seconds: start now, check eligibility first.
            case ApprovalMessage.DENY -> later(() -> openDenyDialog(user, channel, requestId, payload.getTriggerId()));
            default -> { } // "Open in console" is a link; Slack tells us about the click, nothing to do
        }
        return Ack.EMPTY;
    }

    private Ack viewSubmission(ViewSubmissionPayload payload) {
        View view = payload.getView();
        if (view == null || !DENY_DIALOG.equals(view.getCallbackId())) {
            return Ack.EMPTY;
        }
        String comment = Optional.ofNullable(view.getState()).map(ViewState::getValues).map(values -> values.get(COMMENT))
                .map(block -> block.get(COMMENT)).map(ViewState.Value::getValue).map(String::strip).orElse("");
        if (comment.isEmpty()) {
            return errors(Map.of(COMMENT, "Say why you deny it: the agent's owner reads this."));
        }
        if (comment.length() > 2000) {
            return errors(Map.of(COMMENT, "At most 2000 characters, please."));
        }
        String[] metadata = view.getPrivateMetadata() == null ? new String[0] : view.getPrivateMetadata().split("\\|", -1);
        if (metadata.length != 2 || !firstDelivery(payload.getTriggerId() != null ? payload.getTriggerId() : "view:" + view.getId())) {
            return Ack.EMPTY;
        }
        String user = payload.getUser().getId();
        later(() -> deny(user, metadata[1], metadata[0], comment));
        return Ack.EMPTY;
    }

    private void approve(String user, String channel, String requestId) {
        vote(user, channel, requestId, Vote.APPROVE, null);
    }

    private void deny(String user, String channel, String requestId, String comment) {
        vote(user, channel, requestId, Vote.DENY, comment);
    }

    private void vote(String user, String channel, String requestId, Vote vote, String comment) {
        Optional<Caller.Approver> approver = directory.approverFor(user);
        if (approver.isEmpty()) {
            tell(channel, user, unknownUser(user));
            return;
        }
        try {
            ActionRequest after = approvals.vote(approver.get(), requestId, vote, comment, Channel.SLACK);
            tell(channel, user, counted(after, vote));
        } catch (ApiProblem refused) {
            tell(channel, user, "Not counted (" + requestId + "): " + refused.getMessage() + ".");
        }
    }

    private void openDenyDialog(String user, String channel, String requestId, String triggerId) {
        Optional<Caller.Approver> approver = directory.approverFor(user);
        if (approver.isEmpty()) {
            tell(channel, user, unknownUser(user));
            return;
        }
        Optional<ActionRequest> request = actions.find(requestId);
        if (request.isEmpty()) {
            tell(channel, user, "Not counted: this request does not exist.");
            return;
        }
        Optional<String> whyNot = approvals.whyNot(approver.get(), request.get());
        if (whyNot.isPresent()) {
            tell(channel, user, "Not counted (" + requestId + "): " + whyNot.get() + ".");
            return;
        }
        View dialog = View.builder().type("modal").callbackId(DENY_DIALOG).privateMetadata(requestId + "|" + (channel == null ? "" : channel))
                .title(ViewTitle.builder().type("plain_text").text("Deny request").build())
                .submit(ViewSubmit.builder().type("plain_text").text("Deny").build())
                .close(ViewClose.builder().type("plain_text").text("Cancel").build())
                .blocks(List.of(
                        section(s -> s.text(plainText(SlackText.truncate("Deny " + request.get().tool() + " for " + request.get().agent()
                                + "? Your reason goes to the agent and its owner.", 300)))),
                        input(i -> i.blockId(COMMENT).label(plainText("Why do you deny it?"))
                                .element(PlainTextInputElement.builder().actionId(COMMENT).multiline(true).maxLength(2000).build()))))
                .build();
        if (slack.openView(triggerId, dialog) instanceof SlackCall.Failed failed) {
            log.warn("Slack: could not open the deny dialog for {}: {}", requestId, failed.error());
            tell(channel, user, "Slack could not open the deny dialog (" + failed.error() + "). Deny in the console instead.");
        }
    }

    private static String counted(ActionRequest after, Vote vote) {
        if (vote == Vote.DENY) {
            return "You denied " + after.tool() + " (" + after.id() + "). The agent gets the answer now.";
        }
        if (after.status() == ActionStatus.APPROVED) {
            return "Your approval completed the quorum: " + after.tool() + " (" + after.id() + ") is approved.";
        }
        return "Counted: your approval of " + after.tool() + " (" + after.id() + "), " + after.approvals() + " of "
                + after.approval().quorum() + " so far.";
    }

    private static String unknownUser(String user) {
        return "Not counted: Countersign does not know your Slack account (" + user + "). An admin can give your approver entry"
                + " the e-mail address Slack has for you, or map you in countersign.slack.users.";
    }

    private void tell(String channel, String user, String text) {
        if (channel == null) {
            log.info("Slack: no channel to tell {}: {}", user, text);
            return;
        }
        // Ephemeral text is mrkdwn; it quotes problem details that can carry request data, so escape it.
        if (!(slack.postEphemeral(channel, user, SlackText.escape(text)) instanceof SlackCall.Ok)) {
            log.info("Slack: could not tell {} in {}: {}", user, channel, text);
        }
    }

    /** Slack may deliver one interaction twice; the trigger id's primary key lets the first one through. */
    private boolean firstDelivery(String triggerId) {
        if (triggerId == null) {
            return true;
        }
        try {
            return jdbc.sql("""
                            insert into slack_interaction (trigger_id, received_at)
                            select ?, ? where not exists (select 1 from slack_interaction where trigger_id = ?)""")
                    .params(triggerId, Timestamp.from(clock.instant()), triggerId).update() == 1;
        } catch (DuplicateKeyException concurrentDuplicate) {
            // Two deliveries at the same instant both passed "not exists"; the primary key let one in.
            return false;
        }
    }

    @Scheduled(fixedDelay = 1, timeUnit = java.util.concurrent.TimeUnit.HOURS)
    void forgetOldTriggers() {
        // Slack's triggers expire within seconds; a day of them covers every retry.
        jdbc.sql("delete from slack_interaction where received_at < ?")
                .param(Timestamp.from(clock.instant().minus(Duration.ofDays(1)))).update();
    }

    private static Ack errors(Map<String, String> errors) {
        JsonObject body = new JsonObject();
        body.addProperty("response_action", "errors");
        body.add("errors", GSON.toJsonTree(errors));
        return new Ack(body.toString());
    }

    private static void later(Runnable work) {
        Thread.ofVirtual().name("slack-interaction").start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("Slack interaction failed", e);
            }
        });
    }
}

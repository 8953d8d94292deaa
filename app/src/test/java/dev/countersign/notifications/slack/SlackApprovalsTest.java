package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.approvals.Approvals;
import dev.countersign.actions.Channel;
import dev.countersign.actions.Vote;
import dev.countersign.identity.Callers;
import dev.countersign.notifications.Deliveries;
import dev.countersign.testing.Await;
import dev.countersign.testing.FakeSlack;
import dev.countersign.workflow.JobHandler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Slack approvals end to end over Slack's wire protocol: the SDK posts to a fake Slack on
 * loopback, and interaction payloads reach {@code /slack/interactions} signed as Slack signs them.
 */
@EndToEndTest
class SlackApprovalsTest {

    static final FakeSlack slack;

    static {
        try {
            slack = new FakeSlack()
                    .user("U0ALICE", "alice@example.com")
                    .user("U0BOB", "bob@example.com")
                    .user("U0CAROL", "carol@example.com")
                    .user("U0DANA", "dana@example.com")
                    .archived("#archived-channel");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void slackIsOn(DynamicPropertyRegistry registry) {
        SlackClicks.slackIsOn(registry, slack);
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    List<JobHandler> handlers;
    @Autowired
    Approvals approvals;
    @Autowired
    Callers callers;
    @Autowired
    Deliveries deliveries;

    Api api;
    SlackClicks clicks;
    String agent;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        clicks = new SlackClicks(port);
        agent = api.token("billing-agent", "billing-agent-secret");
    }

    @Test
    void aRequestNeedingApprovalPostsOneMessagePerTargetAndARedeliveredNotifyJobPostsNothingMore() throws Exception {
        String id = ask("payments.payout", "{\"payee\":\"acme\"}", null);

        await(() -> postsFor(id).size() == 3);
        var posts = postsFor(id);
        // The rule's channel, and a DM to each approver who may vote: dana owns billing-agent, so she is not asked.
        assertThat(posts).extracting(call -> call.param("channel")).containsExactlyInAnyOrder("#finance-approvals", "U0ALICE", "U0BOB");
        JsonNode blocks = posts.getFirst().json("blocks");
        assertThat(actionIds(blocks)).containsExactly("countersign.approve", "countersign.deny", "countersign.open");
        assertThat(blocks.toString()).contains("https://countersign.example.com/requests/" + id)
                .contains("Approvals\\n0 of 2").contains("\"text\":\"Approval needed: payments.payout\"");

        handler("countersign.notify").handle(new JobHandler.Job("countersign.notify", id, "redelivered-" + id, 2));
        handler("countersign.notify").handle(new JobHandler.Job("countersign.notify", id, "redelivered-again-" + id, 1));
        Await.holds("no further message for " + id, Duration.ofSeconds(1), () -> postsFor(id).size() == 3);
        assertThat(states(id)).containsOnly("POSTED");
    }

    @Test
    void whoGaveAStandingApprovalHearsByDmThatItEnded() {
        String standingAgent = api.token("standing-agent", "standing-agent-secret");
        String account = "acct-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        var asked = api.ask(standingAgent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"" + account
                + "\",\"to\":\"acct-slack\",\"amount\":\"20.00\"}}");
        assertThat(asked.body().get("status").asString()).isEqualTo("PENDING");
        var given = api.post(api.token("alice", "alice"), "/api/v1/actions/" + asked.body().get("id").asString() + "/votes",
                "{\"vote\":\"APPROVE\",\"standing\":{\"resource\":\"" + account + "\",\"uses\":3,\"expiresIn\":\"1h\"}}");
        String standing = given.body().at("/decision/standingApproval").asString();
        assertThat(standing).startsWith("sa_");

        var revoked = api.post(api.token("bob", "bob"), "/api/v1/standing-approvals/" + standing + "/revoke", "{\"comment\":\"vendor paused\"}");
        assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);

        await(() -> !slack.calls("chat.postMessage", call -> "U0ALICE".equals(call.param("channel"))
                && String.valueOf(call.param("text")).contains(standing)).isEmpty());
        var dm = slack.calls("chat.postMessage", call -> "U0ALICE".equals(call.param("channel"))
                && String.valueOf(call.param("text")).contains(standing)).getFirst();
        assertThat(dm.param("text")).contains("for standing-agent").contains("has ended: Revoked by bob: vendor paused");
        // Only the approver who gave it is told.
        Await.holds("no DM about " + standing + " to bob", java.time.Duration.ofSeconds(1), () -> slack.calls("chat.postMessage",
                call -> "U0BOB".equals(call.param("channel")) && String.valueOf(call.param("text")).contains(standing)).isEmpty());
    }

    @Test
    void approveByAnEligibleSlackUserCountsAndUpdatesTheMessage() {
        String id = ask("payments.payout", "{\"payee\":\"globex\"}", null);
        var message = channelMessage(id, "#finance-approvals");

        var response = clicks.send(clicks.sign(SlackClicks.button("U0ALICE", message.channel(), message.ts(), "countersign.approve", id)));

        assertThat(response.statusCode()).isEqualTo(200);
        await(() -> !ephemeralsTo("U0ALICE", id).isEmpty());
        assertThat(ephemeralsTo("U0ALICE", id).getFirst().param("text")).startsWith("Counted: your approval of payments.payout");
        assertThat(votes(id)).containsExactly("alice:APPROVE:SLACK");
        await(() -> updatesOf(message).stream().anyMatch(u -> u.param("blocks").contains("Approvals\\n1 of 2 (alice)")));
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void aStepUpRuleShowsTheFactsAndWhatIsUnusualButNoApproveButtonAndRefusesAForgedApproveClick() {
        String payee = "acct-" + UUID.randomUUID();
        String id = ask("payments.wire", "{\"to\":\"" + payee + "\",\"amount\":\"2500.00\"}", null);
        var message = channelMessage(id, "#finance-approvals");
        JsonNode blocks = postsFor(id).getFirst().json("blocks");
        List<String> mrkdwn = new ArrayList<>();
        List<String> literal = new ArrayList<>();
        collectTexts(blocks, mrkdwn, literal);

        assertThat(actionIds(blocks)).containsExactly("countersign.deny", "countersign.open");
        assertThat(literal).contains("Amount\n2,500.00 EUR", "Payee\n" + payee, "Environment\nprod (PRODUCTION)",
                "What it does: Wires money abroad; it cannot be called back.");
        assertThat(literal).anySatisfy(text -> assertThat(text).startsWith(":warning: Risk: PRODUCTION").contains("First time"));
        assertThat(literal).anySatisfy(text -> assertThat(text).contains("needs a fresh sign-in to approve (within 5 min): approve in the console"));

        // A click Slack never offered (an old message, a crafted payload) is refused like any other channel's stale vote.
        clicks.send(clicks.sign(SlackClicks.button("U0ALICE", message.channel(), message.ts(), "countersign.approve", id)));
        await(() -> !ephemeralsTo("U0ALICE", id).isEmpty());
        assertThat(ephemeralsTo("U0ALICE", id).getFirst().param("text")).contains("needs a fresh sign-in to approve: open the request in the console");
        assertThat(votes(id)).isEmpty();
        assertThat(api.vote(api.token("bob", "bob"), id, "DENY", "Not today").status()).isEqualTo(200);
    }

    @Test
    void ineligibleSelfInterestedAndUnknownClickersGetAnEphemeralRefusalAndNoVote() {
        String id = ask("payments.payout", "{\"payee\":\"initech\"}", null);
        var message = channelMessage(id, "#finance-approvals");

        for (String user : List.of("U0CAROL", "U0DANA", "U0MALLORY")) {
            assertThat(clicks.send(clicks.sign(SlackClicks.button(user, message.channel(), message.ts(), "countersign.approve", id)))
                    .statusCode()).isEqualTo(200);
        }

        await(() -> ephemeralsTo("U0CAROL", id).size() + ephemeralsTo("U0DANA", id).size() + ephemeralsTo("U0MALLORY", "").size() >= 3);
        assertThat(ephemeralsTo("U0CAROL", id).getFirst().param("text")).contains("Not counted (" + id + "): You are not among this request's approvers");
        assertThat(ephemeralsTo("U0DANA", id).getFirst().param("text")).contains("Not counted (" + id + "): You are the subject of this request");
        assertThat(ephemeralsTo("U0MALLORY", "").getFirst().param("text")).contains("does not know your Slack account (U0MALLORY)");
        assertThat(votes(id)).isEmpty();
    }

    @Test
    void denyOpensADialogThatRefusesAnEmptyCommentAndDecidesWithOne() {
        String id = ask("payments.payout", "{\"payee\":\"hooli\"}", null);
        var message = channelMessage(id, "#finance-approvals");
        var click = SlackClicks.button("U0BOB", message.channel(), message.ts(), "countersign.deny", id);

        assertThat(clicks.send(clicks.sign(click)).statusCode()).isEqualTo(200);
        await(() -> slack.calls("views.open").stream().anyMatch(c -> c.param("view").contains(id)));
        var dialog = slack.calls("views.open").stream().filter(c -> c.param("view").contains(id)).findFirst().orElseThrow();
        assertThat(dialog.param("trigger_id")).isEqualTo(SlackClicksJson.triggerOf(click));
        assertThat(dialog.json("view").get("callback_id").asString()).isEqualTo("countersign.deny");

        var empty = clicks.send(clicks.sign(SlackClicks.denyDialog("U0BOB", message.channel(), id, "   ")));
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).contains("\"response_action\":\"errors\"").contains("\"comment\"");
        var none = clicks.send(clicks.sign(SlackClicks.denyDialog("U0BOB", message.channel(), id, null)));
        assertThat(none.body()).contains("\"response_action\":\"errors\"");
        assertThat(votes(id)).isEmpty();

        var submitted = clicks.send(clicks.sign(SlackClicks.denyDialog("U0BOB", message.channel(), id, "Payee is not on the vendor list")));
        assertThat(submitted.statusCode()).isEqualTo(200);
        assertThat(submitted.body()).isEmpty();

        var decided = api.get(agent, "/api/v1/actions/" + id + "?wait=10").body();
        assertThat(decided.get("status").asString()).isEqualTo("DENIED");
        assertThat(votes(id)).containsExactly("bob:DENY:SLACK");
        await(() -> updatesOf(message).stream().anyMatch(u -> u.param("blocks").contains(":no_entry: *Denied* by bob")));
        var last = updatesOf(message).getLast().json("blocks");
        assertThat(actionIds(last)).containsExactly("countersign.open");
    }

    @Test
    void forgedStaleMissingOrAlteredSignaturesAreRefusedAndChangeNothing() {
        String id = ask("payments.payout", "{\"payee\":\"umbrella\"}", null);
        var message = channelMessage(id, "#finance-approvals");
        String payload = SlackClicks.button("U0ALICE", message.channel(), message.ts(), "countersign.approve", id);
        int callsBefore = slack.calls().size();

        var fresh = clicks.sign(payload);
        var forged = clicks.send(fresh.body(), fresh.timestamp(), "v0=" + "0".repeat(64));
        var noHeaders = clicks.send(fresh.body(), null, null);
        var stale = clicks.sign(payload, Instant.now().minus(Duration.ofMinutes(6)));
        var fromTheFuture = clicks.sign(payload, Instant.now().plus(Duration.ofMinutes(6)));
        var altered = clicks.send(fresh.body().replace("countersign.approve", "countersign.deny"), fresh.timestamp(), fresh.signature());

        for (var response : List.of(forged, noHeaders, clicks.send(stale), clicks.send(fromTheFuture), altered)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("invalid_slack_signature");
        }
        var garbage = clicks.send(clicks.sign("not json at all"));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not a Slack interaction payload");
        assertThat(votes(id)).isEmpty();
        assertThat(slack.calls().subList(callsBefore, slack.calls().size()))
                .noneMatch(c -> c.method().equals("chat.postEphemeral") || c.method().equals("views.open"));
    }

    @Test
    void theSameClickDeliveredTwiceCountsOnce() throws Exception {
        String id = ask("payments.payout", "{\"payee\":\"stark\"}", null);
        var message = channelMessage(id, "#finance-approvals");
        var once = clicks.sign(SlackClicks.button("U0ALICE", message.channel(), message.ts(), "countersign.approve", id));

        assertThat(clicks.send(once).statusCode()).isEqualTo(200);
        assertThat(clicks.send(once).statusCode()).isEqualTo(200);

        await(() -> !ephemeralsTo("U0ALICE", id).isEmpty());
        Await.holds("one vote and one reply", Duration.ofMillis(500), () -> votes(id).size() == 1 && ephemeralsTo("U0ALICE", id).size() == 1);
        assertThat(votes(id)).containsExactly("alice:APPROVE:SLACK");
        assertThat(ephemeralsTo("U0ALICE", id)).hasSize(1);
    }

    @Test
    void decisionsMadeElsewhereUpdateEveryMessage() {
        String approved = ask("payments.transfer", "{\"from\":\"acct-ops\",\"to\":\"wayne\",\"amount\":\"50.00\"}", "{\"value\":\"50.00\",\"currency\":\"EUR\"}");
        String cancelled = ask("payments.transfer", "{\"from\":\"acct-ops\",\"to\":\"tyrell\",\"amount\":\"60.00\"}", "{\"value\":\"60.00\",\"currency\":\"EUR\"}");
        String expired = ask("payments.refund", "{\"order\":\"" + UUID.randomUUID() + "\"}", null);
        // No slack: block in these rules, so the configured default channel.
        var approvedMessage = channelMessage(approved, "#approvals");
        var cancelledMessage = channelMessage(cancelled, "#approvals");
        var expiredMessage = channelMessage(expired, "#approvals");

        // What the console does when alice presses Approve.
        approvals.vote(callers.approver("alice", null, Set.of()), approved, Vote.APPROVE, null, Channel.CONSOLE);
        assertThat(api.post(agent, "/api/v1/actions/" + cancelled + "/cancel", "{}").status()).isEqualTo(200);

        await(() -> updatesOf(approvedMessage).stream().anyMatch(u -> u.param("blocks").contains(":white_check_mark: *Approved* by alice")));
        await(() -> updatesOf(cancelledMessage).stream().anyMatch(u -> u.param("blocks").contains("*Cancelled* by the agent")));
        await(() -> updatesOf(expiredMessage).stream().anyMatch(u -> u.param("blocks").contains("*Expired*")));
        assertThat(actionIds(updatesOf(approvedMessage).getLast().json("blocks"))).containsExactly("countersign.open");
        assertThat(updatesOf(approvedMessage).getLast().param("text")).startsWith("Approved: `payments.transfer`");
    }

    @Test
    void aRateLimitedPostWaitsRetryAfterAndPostsOnce() throws Exception {
        String marker = UUID.randomUUID().toString();
        slack.rateLimitNextPosts(marker, 1);
        String id = ask("payments.lost-and-found", "{\"marker\":\"" + marker + "\"}", null);

        await(() -> postsFor(id).size() == 1);
        Await.holds("no second message for " + id, Duration.ofSeconds(1), () -> postsFor(id).size() == 1);
        assertThat(postsFor(id)).hasSize(1);
        assertThat(slack.calls("chat.postMessage#429", c -> c.param("blocks").contains(id))).hasSize(1);
        assertThat(states(id)).containsExactly("POSTED");
    }

    @Test
    void aChannelSlackRefusesIsRecordedOnceAndNeverBlocksTheDecision() throws Exception {
        String id = ask("payments.lost", "{\"n\":2}", null);

        await(() -> states(id).contains("FAILED"));
        Await.holds("no second attempt at #archived-channel", Duration.ofSeconds(1), () -> slack.calls("chat.postMessage",
                c -> "#archived-channel".equals(c.param("channel")) && c.params().toString().contains(id)).size() == 1);
        assertThat(slack.calls("chat.postMessage", c -> "#archived-channel".equals(c.param("channel")) && c.params().toString().contains(id)))
                .hasSize(1);
        assertThat(jdbc.sql("select last_error from slack_post where request_id = ?").param(id).query(String.class).single())
                .isEqualTo("channel_not_found");

        assertThat(deliveries.of(id)).extracting(Deliveries.Delivery::describe)
                .containsExactly("Slack #archived-channel: failed (channel_not_found)");
        // The operator sees it: slack DEGRADED in an admin's health, and the refusal counted.
        var health = api.get(api.token("admin", "admin"), "/actuator/health").body();
        assertThat(health.at("/components/slack/status").asString()).isEqualTo("DEGRADED");
        assertThat(health.at("/components/slack/details/enabled").asBoolean()).isTrue();
        assertThat(health.at("/components/slack/details/failedLastHour").asInt()).isPositive();
        var metrics = dev.countersign.testing.Scrape.of(api.get(api.token("prometheus", "prometheus-secret"), "/actuator/prometheus").raw().body());
        assertThat(metrics.sum("countersign_slack_deliveries_total", "outcome", "refused")).isPositive();
        assertThat(metrics.sum("countersign_slack_deliveries_total", "outcome", "delivered")).isPositive();
        String bob = api.token("bob", "bob");
        assertThat(api.vote(bob, id, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void theMessageShowsTheAmountTheArgumentsMoveAndRefusedDeclarationsPostNothing() {
        String to = "acct-" + UUID.randomUUID();
        var forged = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"" + to
                + "\",\"amount\":\"9000000.00\"},\"amount\":{\"value\":\"10.00\",\"currency\":\"EUR\"}}");
        assertThat(forged.code()).isEqualTo("facts_mismatch");
        String id = ask("payments.transfer", "{\"from\":\"acct-ops\",\"to\":\"" + to + "\",\"amount\":\"9000000.00\"}", null);

        await(() -> !postsFor(id).isEmpty());
        List<String> mrkdwn = new ArrayList<>();
        List<String> literal = new ArrayList<>();
        collectTexts(postsFor(id).getFirst().json("blocks"), mrkdwn, literal);
        assertThat(literal).contains("Amount\n9,000,000.00 EUR", "Environment\nprod (PRODUCTION)", "Resource\nacct-ops");
        assertThat(slack.calls("chat.postMessage", call -> call.toString().contains("10.00 EUR"))).isEmpty();
    }

    @Test
    void hostileTextFromTheAgentShowsLiterallyAndCanMentionNobody() {
        String hostile = "<!channel> *bold* <https://evil.example|click> <@U0ALICE> &amp;";
        String id = api.ask(agent, """
                {"tool":"payments.payout","arguments":{"note":"%s","env":"<!here>"},"justification":"%s"}
                """.formatted(hostile, hostile)).body().get("id").asString();

        await(() -> postsFor(id).size() == 3);
        var post = postsFor(id).getFirst();
        List<String> mrkdwn = new ArrayList<>();
        List<String> literal = new ArrayList<>();
        collectTexts(post.json("blocks"), mrkdwn, literal);

        assertThat(mrkdwn).isNotEmpty().allSatisfy(text -> assertThat(text)
                .doesNotContain("<!channel>", "<!here>", "<https://evil", "<@U0ALICE>", "*bold*"));
        assertThat(post.param("text")).doesNotContain("<!", "<https", "<@");
        assertThat(literal).anyMatch(text -> text.contains("Justification: " + hostile));
        assertThat(literal).anyMatch(text -> text.contains("\"note\" : \"" + hostile + "\""));
        assertThat(literal).anyMatch(text -> text.equals("Environment\n<!here>"));
    }

    @Test
    void aReminderIsPostedInTheApprovalMessagesThread() {
        String id = ask("payments.nudge", "{\"n\":3}", null);
        var message = channelMessage(id, "#finance-approvals");

        await(() -> !slack.calls("chat.postMessage", c -> message.ts().equals(c.param("thread_ts"))).isEmpty());
        var reminder = slack.calls("chat.postMessage", c -> message.ts().equals(c.param("thread_ts"))).getFirst();
        assertThat(reminder.param("channel")).isEqualTo(message.channel());
        assertThat(reminder.param("text")).startsWith(":alarm_clock: Still waiting: 1 more approval needed");
    }

    @Test
    void socketModeBringsClicksToTheSameHandlerAndAcknowledgesThem() throws Exception {
        String id = ask("payments.payout", "{\"payee\":\"cyberdyne\"}", null);
        var message = channelMessage(id, "#finance-approvals");

        JsonNode approved = slack.socketMode().deliver(SlackClicks.button("U0BOB", message.channel(), message.ts(), "countersign.approve", id));
        JsonNode emptyDenial = slack.socketMode().deliver(SlackClicks.denyDialog("U0ALICE", message.channel(), id, ""));

        assertThat(approved.has("payload")).as(approved.toString()).isFalse();
        assertThat(emptyDenial.at("/payload/response_action").asString()).isEqualTo("errors");
        await(() -> votes(id).contains("bob:APPROVE:SLACK"));
        assertThat(votes(id)).containsExactly("bob:APPROVE:SLACK");
        assertThat(slack.calls("apps.connections.open")).isNotEmpty();
    }

    // --- helpers ---

    record Posted(String channel, String ts) {
    }

    private String ask(String tool, String arguments, String amount) {
        String body = "{\"tool\":\"" + tool + "\",\"arguments\":" + arguments + (amount == null ? "" : ",\"amount\":" + amount) + "}";
        var response = api.ask(agent, body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asString();
    }

    private Posted channelMessage(String id, String channel) {
        await(() -> jdbc.sql("select count(*) from slack_post where request_id = ? and target = ? and state = 'POSTED'")
                .params(id, channel).query(Long.class).single() == 1);
        return jdbc.sql("select channel_id, ts from slack_post where request_id = ? and kind = 'APPROVAL' and target = ?")
                .params(id, channel).query((rs, n) -> new Posted(rs.getString(1), rs.getString(2))).single();
    }

    private List<FakeSlack.Call> postsFor(String id) {
        return slack.calls("chat.postMessage", c -> c.param("thread_ts") == null && c.param("blocks") != null && c.param("blocks").contains(id));
    }

    private List<FakeSlack.Call> updatesOf(Posted message) {
        return slack.calls("chat.update", c -> message.channel().equals(c.param("channel")) && message.ts().equals(c.param("ts")));
    }

    private List<FakeSlack.Call> ephemeralsTo(String user, String id) {
        return slack.calls("chat.postEphemeral", c -> user.equals(c.param("user")) && c.param("text").contains(id));
    }

    private List<String> states(String id) {
        return jdbc.sql("select state from slack_post where request_id = ?").param(id).query(String.class).list();
    }

    private List<String> votes(String id) {
        return jdbc.sql("select approver || ':' || vote || ':' || channel from vote where request_id = ? order by approver")
                .param(id).query(String.class).list();
    }

    private JobHandler handler(String topic) {
        return handlers.stream().filter(h -> h.topic().equals(topic)).findFirst().orElseThrow();
    }

    private static List<String> actionIds(JsonNode blocks) {
        List<String> ids = new ArrayList<>();
        blocks.forEach(block -> {
            if ("actions".equals(block.path("type").asString())) {
                block.get("elements").forEach(element -> ids.add(element.get("action_id").asString()));
            }
        });
        return ids;
    }

    /** Every text object: mrkdwn ones (Slack parses) and plain_text / rich text ones (Slack shows literally). */
    private static void collectTexts(JsonNode node, List<String> mrkdwn, List<String> literal) {
        if (node.isObject()) {
            String type = node.path("type").asString("");
            if (node.has("text") && node.get("text").isString()) {
                (type.equals("mrkdwn") ? mrkdwn : literal).add(node.get("text").asString());
            }
            node.properties().forEach(e -> collectTexts(e.getValue(), mrkdwn, literal));
        } else if (node.isArray()) {
            node.forEach(child -> collectTexts(child, mrkdwn, literal));
        }
    }

    private static void await(BooleanSupplier condition) {
        Await.until(() -> "the condition; Slack calls: " + slack.calls(), Duration.ofSeconds(15), condition);
    }
}

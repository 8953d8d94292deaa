package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.Concurrently;
import dev.countersign.testing.Await;
import dev.countersign.testing.FakeSlack;
import dev.countersign.testing.PostgresTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slack's exactly-once claims under real concurrency on real PostgreSQL: a click delivered many
 * times at once counts once, an approver clicking many times votes once, and workers racing for
 * one message post it once.
 */
@PostgresTest
class SlackOnPostgresTest {

    static final FakeSlack slack;

    static {
        try {
            slack = new FakeSlack().user("U0ALICE", "alice@example.com").user("U0BOB", "bob@example.com");
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
    SlackDelivery delivery;
    @Autowired
    SlackPosts posts;

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
    void oneClickDeliveredTwentyTimesAtOnceCountsOnceAndNeverFails() throws Exception {
        String id = ask("{\"payee\":\"once\"}");
        var message = posted(id);
        var click = clicks.sign(SlackClicks.button("U0ALICE", message[0], message[1], "countersign.approve", id));

        List<HttpResponse<String>> answers = Concurrently.run(20, i -> clicks.send(click));

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        await(() -> ephemerals("U0ALICE", id) == 1);
        Await.holds("one vote and one reply", Duration.ofMillis(500), () -> votes(id).size() == 1 && ephemerals("U0ALICE", id) == 1);
        assertThat(votes(id)).containsExactly("alice:APPROVE");
        assertThat(ephemerals("U0ALICE", id)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from slack_interaction where trigger_id = ?")
                .param(SlackClicksJson.triggerOf(java.net.URLDecoder.decode(click.body().substring("payload=".length()),
                        java.nio.charset.StandardCharsets.UTF_8))).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void twentyClicksByOneApproverAtOnceMakeOneVote() throws Exception {
        String id = ask("{\"payee\":\"impatient\"}");
        var message = posted(id);

        List<HttpResponse<String>> answers = Concurrently.run(20,
                i -> clicks.send(clicks.sign(SlackClicks.button("U0BOB", message[0], message[1], "countersign.approve", id))));

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        await(() -> ephemerals("U0BOB", id) == 20);
        assertThat(votes(id)).containsExactly("bob:APPROVE");
        var texts = slack.calls("chat.postEphemeral", c -> "U0BOB".equals(c.param("user")) && c.param("text").contains(id)).stream()
                .map(c -> c.param("text")).toList();
        assertThat(texts).filteredOn(t -> t.startsWith("Counted")).hasSize(1);
        assertThat(texts).filteredOn(t -> t.contains("already counted")).hasSize(19);
    }

    @Test
    void workersRacingForOneMessagePostItOnce() throws Exception {
        String id = ask("{\"payee\":\"race\"}");
        posted(id);
        // Twenty more targets for the same request, then twenty workers (plus the instance's own) at once.
        for (int n = 0; n < 20; n++) {
            posts.plan(id, SlackPost.Kind.APPROVAL, "#race-" + n, java.time.Instant.now());
        }
        List<SlackPost> due = posts.forRequest(id).stream().filter(p -> p.target().startsWith("#race-")).toList();

        Concurrently.run(20, i -> {
            due.forEach(delivery::deliver);
            return null;
        });

        await(() -> posts.forRequest(id).stream().filter(p -> p.target().startsWith("#race-")).allMatch(p -> p.state() == SlackPost.State.POSTED));
        for (int n = 0; n < 20; n++) {
            String channel = "#race-" + n;
            assertThat(slack.calls("chat.postMessage", c -> channel.equals(c.param("channel")) && c.param("blocks").contains(id)))
                    .as(channel).hasSize(1);
        }
    }

    private String ask(String arguments) {
        var response = api.ask(agent, "{\"tool\":\"payments.payout\",\"arguments\":" + arguments + "}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asString();
    }

    /** The channel message's Slack channel id and ts. */
    private String[] posted(String id) {
        await(() -> jdbc.sql("select count(*) from slack_post where request_id = ? and target = '#finance-approvals' and state = 'POSTED'")
                .param(id).query(Long.class).single() == 1);
        return jdbc.sql("select channel_id, ts from slack_post where request_id = ? and target = '#finance-approvals'")
                .param(id).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).single();
    }

    private long ephemerals(String user, String id) {
        return slack.calls("chat.postEphemeral", c -> user.equals(c.param("user")) && c.param("text").contains(id)).size();
    }

    private List<String> votes(String id) {
        return jdbc.sql("select approver || ':' || vote from vote where request_id = ?").param(id).query(String.class).list();
    }

    private static void await(BooleanSupplier condition) {
        Await.until(() -> "the condition", Duration.ofSeconds(20), condition);
    }
}

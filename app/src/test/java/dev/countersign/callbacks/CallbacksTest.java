package dev.countersign.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.Api;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.CallbackReceiver;
import dev.countersign.testing.CallbackReceiver.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent that cannot hold a long-poll (workflow-agent, configured with callbacks in the test
 * profile) is told of each decision at its callback URLs: signed as Standard Webhooks, retried with
 * the same id after a failure, and never at a URL whose host resolves to an address its entry does
 * not name (that one is given up and audited).
 */
@EndToEndTest
class CallbacksTest extends EndToEndBase {

    static final CallbackReceiver RECEIVER = new CallbackReceiver();
    static final List<Received> RECEIVED = RECEIVER.received();

    @DynamicPropertySource
    static void receiver(DynamicPropertyRegistry registry) {
        registry.add("countersign.test.callback-port", RECEIVER::port);
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    /** Verified as a Standard Webhooks receiver library does it. */
    private static boolean signedWith(String secret, Received received) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((received.id() + "." + received.timestamp() + "."
                + received.body()).getBytes(StandardCharsets.UTF_8)));
        return received.signature().equals("v1," + expected);
    }

    @Test
    void aDecisionIsPostedSignedRetriedWithTheSameIdAndNeverToAnAddressTheEntryDoesNotName() throws Exception {
        String workflow = api.token("workflow-agent", "workflow-agent-secret");
        String id = api.ask(workflow, Api.largePayment()).body().get("id").asString();
        RECEIVER.failNext(1); // the receiver is down for the first attempt
        api.vote(person("alice"), id, "APPROVE", null);
        assertThat(api.vote(person("bob"), id, "APPROVE", null).body().get("status").asString()).isEqualTo("APPROVED");

        List<Received> hooks = await("the decision delivered after one failure").atMost(Duration.ofSeconds(20)).until(() ->
                RECEIVED.stream().filter(r -> r.path().equals("/hooks/countersign")).toList(), got -> got.size() == 2);
        assertThat(hooks.get(0).id()).as("a retry is the same delivery: one id to deduplicate by").isEqualTo(hooks.get(1).id());
        Received delivered = hooks.get(1);
        assertThat(signedWith("whsec_Y291bnRlcnNpZ24tdGVzdC1jYWxsYmFjay1rZXktMzI=", delivered)).as(delivered.toString()).isTrue();
        JsonNode payload = JsonMapper.shared().readTree(delivered.body());
        assertThat(payload.get("type").asString()).isEqualTo("action.decided");
        assertThat(payload.at("/data/id").asString()).isEqualTo(id);
        assertThat(payload.at("/data/status").asString()).isEqualTo("APPROVED");
        assertThat(payload.at("/data/grant/token").asString()).as("the grant is the agent's, to redeem").isNotBlank();
        await("delivered is recorded").atMost(Duration.ofSeconds(5)).until(() -> count(
                "select count(*) from audit_entry where request_id = ? and type = 'callback.delivered'", id) == 1);
        assertThat(jdbc.sql("select state || ' ' || attempts from callback_delivery where request_id = ? and url like '%/countersign'")
                .param(id).query(String.class).single()).isEqualTo("DELIVERED 2");

        // localhost resolves to the loopback, which that entry does not name: never called, given up after 3 attempts.
        await("the unlisted address given up").atMost(Duration.ofSeconds(20)).until(() -> count(
                "select count(*) from audit_entry where request_id = ? and type = 'callback.gave_up'", id) == 1);
        assertThat(RECEIVED).noneMatch(r -> r.path().equals("/hooks/unlisted"));
        assertThat(jdbc.sql("select last_error from callback_delivery where request_id = ? and url like '%/unlisted'").param(id)
                .query(String.class).single()).contains("resolves to").contains("not among the callback's addresses");

        // Nothing more is sent for this decision.
        int sent = RECEIVED.size();
        await("nothing more").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> RECEIVED.size() == sent);
    }

    @Test
    void anAnswerGivenAtOnceIsTheAsksOwnAndIsNotCalledBack() {
        String workflow = api.token("workflow-agent", "workflow-agent-secret");
        String body = Api.largePayment();
        String first = api.ask(workflow, body).body().get("id").asString();
        api.vote(person("alice"), first, "DENY", "not this one");
        await("the denial told").atMost(Duration.ofSeconds(20)).until(() -> RECEIVED.stream()
                .anyMatch(r -> r.path().equals("/hooks/countersign") && r.body().contains(first) && r.body().contains("DENIED")));

        // The same action again: denied at once by the cool-down, in the ask's own answer; no callback for it.
        var again = api.ask(workflow, body);
        String second = again.body().get("id").asString();
        assertThat(again.body().at("/decision/reasonCode").asString()).as(again.raw().body()).isEqualTo("recently_denied");
        await("no delivery for an answer given at once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> count("select count(*) from callback_delivery where request_id = ?", second) == 0
                        && RECEIVED.stream().noneMatch(r -> r.body().contains(second)));
    }
}

package dev.countersign.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Await;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Opt-in: the whole approval path on a real Camunda 8 cluster. Runs when CAMUNDA_REST_ADDRESS is
 * set (plus CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET, CAMUNDA_TOKEN_AUDIENCE and
 * CAMUNDA_AUTHORIZATION_SERVER_URL for a cluster with authentication); README "Camunda 8" says how.
 * Here the broker, not the test, hands out the jobs, and its timers fire.
 */
@EndToEndTest
class CamundaClusterTest {

    @BeforeAll
    static void onlyWithACluster() {
        assumeTrue(System.getenv("CAMUNDA_REST_ADDRESS") != null && !System.getenv("CAMUNDA_REST_ADDRESS").isBlank(),
                "No Camunda 8 cluster: set CAMUNDA_REST_ADDRESS (and credentials) to run the approval path against a real one");
    }

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("countersign.engine", () -> "camunda");
        registry.add("countersign.camunda.rest-address", () -> System.getenv("CAMUNDA_REST_ADDRESS"));
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void approvalsNotifyDecideAndExpireOnTheCluster() throws Exception {
        var api = new Api(port);
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, Api.largePayment().replace("INV-2291", "INV-" + UUID.randomUUID())).body().get("id").asString();

        // The broker runs the process to its notify task and hands the job to our worker.
        awaitNotice(id);
        assertThat(api.vote(api.token("alice", "alice"), id, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.vote(api.token("bob", "bob"), id, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");

        // The 2-second rule: the broker's timer fires and the expire job decides.
        String quick = api.ask(agent, "{\"tool\":\"payments.refund\",\"arguments\":{\"order\":\"" + UUID.randomUUID() + "\"}}")
                .body().get("id").asString();
        var expired = api.get(agent, "/api/v1/actions/" + quick + "?wait=30").body();
        assertThat(expired.get("status").asString()).isEqualTo("EXPIRED");
    }

    private void awaitNotice(String id) {
        Await.until(() -> "approvers notified of " + id, Duration.ofSeconds(60),
                () -> jdbc.sql("select count(*) from approval_notice where request_id = ?").param(id).query(Long.class).single() > 0);
    }
}

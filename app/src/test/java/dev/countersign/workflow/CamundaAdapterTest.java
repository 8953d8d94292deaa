package dev.countersign.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.testing.Await;
import dev.countersign.testing.FakeCamunda;
import dev.countersign.workflow.internal.ProcessStart;
import dev.countersign.workflow.internal.WorkflowEngine;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Camunda 8 adapter, switched on, against a fake of the cluster's REST API: what the client
 * sends is what Camunda documents, the approval path works end to end (the test hands out the
 * jobs a running process would get), and a redelivered job changes nothing twice.
 */
@EndToEndTest
class CamundaAdapterTest {

    static final FakeCamunda camunda;

    static {
        try {
            camunda = new FakeCamunda();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void camundaEngine(DynamicPropertyRegistry registry) {
        registry.add("countersign.engine", () -> "camunda");
        registry.add("countersign.camunda.rest-address", camunda::restAddress);
        registry.add("countersign.camunda.poll-interval", () -> "100ms");
        registry.add("countersign.camunda.message-ttl", () -> "10m");
    }

    @AfterAll
    static void stop() {
        camunda.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WorkflowEngine engine;

    Api api;
    String agent;
    String alice;
    String bob;

    @BeforeEach
    void tokens() {
        api = new Api(port);
        agent = api.token("billing-agent", "billing-agent-secret");
        alice = api.token("alice", "alice");
        bob = api.token("bob", "bob");
    }

    @Autowired
    @Qualifier("workflowEngine")
    HealthIndicator health;

    @Test
    void theHealthCheckReportsTheCluster() {
        var report = health.health();
        assertThat(report.getStatus()).isEqualTo(Status.UP);
        assertThat(report.getDetails()).containsEntry("brokers", 1).containsEntry("gatewayVersion", "8.9.0");
    }

    @Test
    void deploysTheCamunda8ModelAtStartUp() {
        var deployments = camunda.calls("POST", "/v2/deployments");
        assertThat(deployments).hasSize(1);
        assertThat(deployments.getFirst().body()).contains("filename=\"guarded-action.bpmn\"")
                .contains("<zeebe:taskDefinition type=\"countersign.notify\"").contains("correlationKey=\"=requestId\"");
    }

    @Test
    void anApprovalRunsOnTheClusterAndARedeliveredNotifyJobNotifiesOnce() throws Exception {
        String id = ask(Api.largePayment().replace("INV-2291", "INV-" + UUID.randomUUID()));

        JsonNode created = await(() -> instanceCreation(id)).json();
        assertThat(created.path("processDefinitionId").asString()).isEqualTo("guarded-action");
        assertThat(Instant.parse(created.at("/variables/expiresAt").asString())).isAfter(Instant.now());
        assertThat(Instant.parse(created.at("/variables/remindAt").asString())).isAfter(Instant.now());

        long first = camunda.offerJob("countersign.notify", id);
        long again = camunda.offerJob("countersign.notify", id); // the broker redelivers after a timeout
        awaitCompleted(first);
        awaitCompleted(again);
        assertThat(count("select count(*) from approval_notice where request_id = ?", id)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where request_id = ? and type = 'approvers.notified'", id)).isEqualTo(1);

        engine.start(new ProcessStart(id, ProcessStart.GUARDED_ACTION, Instant.now().plusSeconds(60), Instant.now().plusSeconds(30)));
        assertThat(camunda.calls("POST", "/v2/process-instances", c -> c.body().contains(id))).hasSize(1);
        assertThat(count("select count(*) from camunda_instance where request_id = ?", id)).isEqualTo(1);

        assertThat(api.vote(alice, id, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.vote(bob, id, "APPROVE", null).status()).isEqualTo(200);
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("APPROVED");

        JsonNode published = await(() -> publication(id)).json();
        assertThat(published.path("name").asString()).isEqualTo("countersign.decided");
        assertThat(published.path("correlationKey").asString()).isEqualTo(id);
        assertThat(published.path("messageId").asString()).isEqualTo(id);
        assertThat(published.path("timeToLive").asLong()).isEqualTo(Duration.ofMinutes(10).toMillis());
        // decided_at is stamped once the broker has accepted the publication, just after the fake recorded it.
        Await.until(() -> "the instance no longer counted as running", Duration.ofSeconds(5), () -> !engine.isRunning(id));
    }

    @Test
    void denyAndCancelPublishTheDecisionOnce() {
        String denied = ask(Api.largePayment().replace("INV-2291", "INV-" + UUID.randomUUID()));
        String cancelled = ask(Api.largePayment().replace("INV-2291", "INV-" + UUID.randomUUID()));
        await(() -> instanceCreation(denied));
        await(() -> instanceCreation(cancelled));

        assertThat(api.vote(alice, denied, "DENY", "Not this vendor").status()).isEqualTo(200);
        assertThat(api.post(agent, "/api/v1/actions/" + cancelled + "/cancel", "{}").status()).isEqualTo(200);
        assertThat(api.post(agent, "/api/v1/actions/" + cancelled + "/cancel", "{}").status()).isIn(200, 409);

        await(() -> publication(denied));
        await(() -> publication(cancelled));
        Await.holds("no second publication for " + cancelled, Duration.ofMillis(500),
                () -> camunda.calls("POST", "/v2/messages/publication", c -> c.body().contains(cancelled)).size() == 1);
        assertThat(api.get(agent, "/api/v1/actions/" + denied).body().get("status").asString()).isEqualTo("DENIED");
        assertThat(api.get(agent, "/api/v1/actions/" + cancelled).body().get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theExpiryJobExpiresTheRequest() {
        String id = ask(Api.largePayment().replace("INV-2291", "INV-" + UUID.randomUUID()));
        await(() -> instanceCreation(id));

        awaitCompleted(camunda.offerJob("countersign.expire", id));

        assertThat(api.get(agent, "/api/v1/actions/" + id).body().get("status").asString()).isEqualTo("EXPIRED");
        assertThat(api.get(agent, "/api/v1/actions/" + id).body().at("/decision/by").asString()).isEqualTo("TIMEOUT");
    }

    @Test
    void aFailingJobGoesBackToTheBrokerWithOneRetryFewerAndABackoff() {
        long key = camunda.offerJob(FailingHandler.TOPIC, "act_any");

        JsonNode failure = await(() -> camunda.calls("POST", "/v2/jobs/" + key + "/failure").stream().findFirst().orElse(null)).json();

        assertThat(failure.path("retries").asInt()).isEqualTo(4);
        assertThat(failure.path("retryBackOff").asLong()).isEqualTo(Duration.ofSeconds(2).toMillis());
        assertThat(failure.path("errorMessage").asString()).contains("the mail server is down");
        assertThat(camunda.calls("POST", "/v2/jobs/" + key + "/completion")).isEmpty();
    }

    @Test
    void aJobThatFailsBecauseTheDatabaseIsAwayKeepsItsRetries() {
        long key = camunda.offerJob(FailingHandler.DATABASE_AWAY_TOPIC, "act_any");

        JsonNode failure = await(() -> camunda.calls("POST", "/v2/jobs/" + key + "/failure").stream().findFirst().orElse(null)).json();

        // An outage says nothing about the job: no retry spent, offered again in 5 s, however long the outage lasts.
        assertThat(failure.path("retries").asInt()).isEqualTo(5);
        assertThat(failure.path("retryBackOff").asLong()).isEqualTo(Duration.ofSeconds(5).toMillis());
        assertThat(camunda.calls("POST", "/v2/jobs/" + key + "/completion")).isEmpty();
    }

    /** Handlers that always fail, as one does when what it calls is down. */
    @TestConfiguration
    static class FailingHandler {

        static final String DATABASE_AWAY_TOPIC = "countersign.test-database-away";

        @Bean
        JobHandler databaseAwayHandler() {
            return new JobHandler() {
                @Override
                public String topic() {
                    return DATABASE_AWAY_TOPIC;
                }

                @Override
                public void handle(Job job) {
                    throw new org.springframework.transaction.CannotCreateTransactionException("Could not open JPA EntityManager",
                            new java.sql.SQLTransientConnectionException("The database cannot be reached", "08001"));
                }
            };
        }

        static final String TOPIC = "countersign.test-failing";

        @Bean
        JobHandler failingHandler() {
            return new JobHandler() {
                @Override
                public String topic() {
                    return TOPIC;
                }

                @Override
                public void handle(Job job) {
                    throw new IllegalStateException("the mail server is down");
                }
            };
        }
    }

    @Test
    void aRuleMayNameItsOwnProcess() {
        String id = ask("{\"tool\":\"payments.custom\",\"arguments\":{\"ref\":\"" + UUID.randomUUID() + "\"}}");

        JsonNode created = await(() -> instanceCreation(id)).json();

        assertThat(created.path("processDefinitionId").asString()).isEqualTo("finance-two-level-approval");
        assertThat(created.at("/variables/requestId").asString()).isEqualTo(id);
    }

    private String ask(String body) {
        var response = api.ask(agent, body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asString();
    }

    private FakeCamunda.Call instanceCreation(String id) {
        return camunda.calls("POST", "/v2/process-instances", c -> c.body().contains(id)).stream().findFirst().orElse(null);
    }

    private FakeCamunda.Call publication(String id) {
        return camunda.calls("POST", "/v2/messages/publication", c -> c.body().contains(id)).stream().findFirst().orElse(null);
    }

    private void awaitCompleted(long jobKey) {
        await(() -> camunda.calls("POST", "/v2/jobs/" + jobKey + "/completion").stream().findFirst().orElse(null));
    }

    private long count(String sql, String id) {
        return jdbc.sql(sql).param(id).query(Long.class).single();
    }

    private static <T> T await(java.util.function.Supplier<T> value) {
        return Await.value(() -> "the call; calls so far: " + camunda.calls(), Duration.ofSeconds(15), value);
    }
}

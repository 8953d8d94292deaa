package dev.countersign.callbacks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.Api;
import dev.countersign.Concurrently;
import dev.countersign.testing.CallbackReceiver;
import dev.countersign.testing.PostgresTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Instances racing for one due delivery on real PostgreSQL: the conditional claim lets exactly one send it. */
@PostgresTest
class CallbacksOnPostgresTest {

    static final CallbackReceiver RECEIVER = new CallbackReceiver();

    private static long posts() {
        return RECEIVER.received().stream().filter(received -> received.path().equals("/hooks/countersign")).count();
    }

    @DynamicPropertySource
    static void receiver(DynamicPropertyRegistry registry) {
        registry.add("countersign.test.callback-port", RECEIVER::port);
        registry.add("countersign.callbacks.poll", () -> "1h"); // only this test's calls deliver
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CallbackSender sender;

    @Test
    void sixteenSendersAtOnceSendADeliveryOnce() throws Exception {
        Api api = new Api(port);
        String id = api.ask(api.token("workflow-agent", "workflow-agent-secret"), Api.largePayment()).body().get("id").asString();
        api.vote(api.token("alice", "alice"), id, "APPROVE", null);
        api.vote(api.token("bob", "bob"), id, "APPROVE", null);
        assertThat(jdbc.sql("select count(*) from callback_delivery where request_id = ? and state = 'PENDING'").param(id)
                .query(Long.class).single()).isEqualTo(2);

        Concurrently.run(16, i -> {
            sender.deliverDue();
            return i;
        });
        await("the delivery sent").atMost(Duration.ofSeconds(10)).until(() -> posts() >= 1);
        await("sent once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> posts() == 1);
        assertThat(jdbc.sql("select state || ' ' || attempts from callback_delivery where request_id = ? and url like '%/countersign'")
                .param(id).query(String.class).single()).isEqualTo("DELIVERED 1");
    }
}

package dev.countersign.callbacks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.countersign.Api;
import dev.countersign.Concurrently;
import dev.countersign.testing.PostgresTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

    static final HttpServer RECEIVER;
    static final AtomicInteger POSTS = new AtomicInteger();

    static {
        try {
            RECEIVER = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            RECEIVER.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            RECEIVER.createContext("/hooks/countersign", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    POSTS.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            RECEIVER.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void receiver(DynamicPropertyRegistry registry) {
        registry.add("countersign.test.callback-port", () -> RECEIVER.getAddress().getPort());
        registry.add("countersign.callbacks.poll", () -> "1h"); // only this test's calls deliver
    }

    @AfterAll
    static void stop() {
        RECEIVER.stop(0);
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
        await("the delivery sent").atMost(Duration.ofSeconds(10)).until(() -> POSTS.get() >= 1);
        await("sent once").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> POSTS.get() == 1);
        assertThat(jdbc.sql("select state || ' ' || attempts from callback_delivery where request_id = ? and url like '%/countersign'")
                .param(id).query(String.class).single()).isEqualTo("DELIVERED 1");
    }
}

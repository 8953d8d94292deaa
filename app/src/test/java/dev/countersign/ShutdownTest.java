package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.countersign.testing.SideApplications;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Stopping an instance never waits on agents: a long-poll held for up to 60 s is answered at once
 * with its request as it stands (the agent asks again, elsewhere), instead of holding the web
 * server's graceful shutdown for its whole wait.
 */
class ShutdownTest {

    @Test
    void aHeldLongPollIsAnsweredAtOnceWhenTheInstanceStops() throws Exception {
        var app = SideApplications.run(new SpringApplicationBuilder(CountersignApplication.class).profiles("test"),
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:shutdown-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        var api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
        String agent = api.token("billing-agent", "billing-agent-secret");
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();
        var meters = app.getBean(MeterRegistry.class);

        var poll = CompletableFuture.supplyAsync(() -> api.get(agent, "/api/v1/actions/" + id + "?wait=60"));
        await("the long-poll waits").atMost(Duration.ofSeconds(10)).until(() -> meters.get("countersign.actions.waiters").gauge().value() == 1);

        long closing = System.nanoTime();
        var closed = CompletableFuture.runAsync(app::close);
        var answer = poll.get(30, TimeUnit.SECONDS);
        Duration answeredAfter = Duration.ofNanos(System.nanoTime() - closing);
        closed.get(60, TimeUnit.SECONDS);
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        assertThat(answer.body().get("status").asString()).isEqualTo("PENDING");
        // Not the graceful shutdown's 30 s, nor the wait's 60.
        assertThat(answeredAfter).isLessThan(Duration.ofSeconds(10));
        assertThat(closedAfter).isLessThan(Duration.ofSeconds(25));
    }
}

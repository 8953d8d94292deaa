package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A held long-poll sends nothing until it is answered, for up to 60 s, while Jetty closes a
 * connection idle for 30 s. Jetty leaves a suspended request alone (it only times out reads and
 * writes that are pending): shown here with the idle timeout cut to 1 s and a wait of 3.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.jetty.connection-idle-timeout=1s")
@ActiveProfiles("test")
class LongPollOutlivesIdleTimeoutTest extends EndToEndBase {

    @Test
    void aWaitLongerThanTheIdleTimeoutIsAnsweredWhenItRunsOut() {
        String id = api.ask(agent, Api.largePayment()).body().get("id").asString();

        long start = System.nanoTime();
        var answer = api.get(agent, "/api/v1/actions/" + id + "?wait=3");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asString()).isEqualTo("PENDING");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(2_900_000_000L);
    }
}

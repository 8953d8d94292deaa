package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A held long-poll sends nothing until it is answered. An answer dispatched at the moment the
 * server's idle check fired lost its connection (a soak at wait=30 against the 30 s default saw the
 * socket closed twice in about 2,000 polls). So the answer always leaves before the idle timeout:
 * the default idle timeout (75 s) is beyond the longest wait, and a shorter one cuts waits short.
 * Here at the boundary: an idle timeout of 4 s and a wait of 4.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.jetty.connection-idle-timeout=4s")
@ActiveProfiles("test")
class LongPollAnsweredBeforeIdleTimeoutTest extends EndToEndBase {

    @Test
    void aWaitAsLongAsTheIdleTimeoutIsAnsweredBeforeIt() {
        String id = api.ask(agent, Api.largePayment().replace("1250.00", "1250.44")).body().get("id").asString();

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            var answer = api.get(agent, "/api/v1/actions/" + id + "?wait=4");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("status").asString()).isEqualTo("PENDING");
            // It waited (a quarter of the idle timeout is kept as a margin), and left before the idle timeout.
            assertThat(took).as("poll %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(2_900)).isLessThan(Duration.ofSeconds(4));
        }
    }
}

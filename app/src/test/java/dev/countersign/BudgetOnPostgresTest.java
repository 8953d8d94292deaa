package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.MutableClock;
import dev.countersign.testing.MutableClockConfiguration;
import dev.countersign.testing.PostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * "At most 200 EUR a day without a human", held under concurrency on PostgreSQL: asks that race
 * past the budget are counted one after another, so exactly as many pass as fit.
 */
@PostgresTest
@Import(MutableClockConfiguration.class)
@TestPropertySource(properties = "countersign.policy.location=classpath:policy/budget-policy.yaml")
class BudgetOnPostgresTest extends EndToEndBase {

    @Autowired
    MutableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void tenConcurrentTinyPaymentsWith150AlreadyApprovedLetExactlyOneThrough() throws Exception {
        // Noon on a day of its own (UTC), so that "today" cannot turn over while the test runs.
        Instant now = Instant.now();
        Instant noon = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        clock.advance(Duration.between(now, noon));

        for (int i = 0; i < 5; i++) {
            var tiny = api.ask(agent, payment("30.00"));
            assertThat(tiny.body().get("status").asString()).as(tiny.raw().body()).isEqualTo("APPROVED");
            assertThat(tiny.body().at("/decision/rule").asString()).isEqualTo("tiny-payments");
        }

        List<Api.Response> raced = Concurrently.run(10, i -> api.ask(agent, payment("30.00")));

        assertThat(raced).hasSize(10).allSatisfy(response -> assertThat(response.status()).isEqualTo(201));
        assertThat(raced.stream().map(r -> r.body().at("/decision/rule").asString()))
                .containsOnlyOnce("tiny-payments")
                .filteredOn("small-payments"::equals).hasSize(9);
        assertThat(raced).filteredOn(r -> r.body().get("status").asString().equals("APPROVED")).singleElement()
                .satisfies(r -> assertThat(r.body().at("/grant/token").isString()).isTrue());

        // 180 EUR approved today: 20 more fits exactly, and after that not even 1 EUR passes without a human...
        assertThat(api.ask(agent, payment("20.00")).body().at("/decision/rule").asString()).isEqualTo("tiny-payments");
        assertThat(api.ask(agent, payment("1.00")).body().at("/decision/rule").asString()).isEqualTo("small-payments");

        // ...until the next day (UTC), when the budget starts again.
        clock.advance(Duration.ofDays(1));
        var tomorrow = api.ask(agent, payment("30.00"));
        assertThat(tomorrow.body().get("status").asString()).isEqualTo("APPROVED");
        assertThat(tomorrow.body().at("/decision/rule").asString()).isEqualTo("tiny-payments");
    }

    private static String payment(String amount) {
        return """
                {"tool":"payments.transfer","arguments":{"from":"acct-ops","to":"acct-%s","amount":"%s"}}"""
                .formatted(UUID.randomUUID(), amount);
    }
}

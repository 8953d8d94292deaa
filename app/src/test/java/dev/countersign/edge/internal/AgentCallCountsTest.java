package dev.countersign.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.Concurrently;
import dev.countersign.edge.AgentRateLimited;
import dev.countersign.identity.IdentityProperties;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Agents' call limits as several instances count them, on a real PostgreSQL: each instance is an
 * {@link AgentCallCounts} of its own on one database, exactly as in a deployment.
 */
class AgentCallCountsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock();
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private JdbcClient jdbc;

    @BeforeEach
    void database() throws IOException {
        String url = TestPostgres.newDatabase();
        jdbc = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, "postgres", ""));
        try (InputStream migration = getClass().getResourceAsStream("/db/core/V12__agent_call_counts.sql")) {
            jdbc.sql(new String(migration.readAllBytes(), StandardCharsets.UTF_8)).update();
        }
        // One second into a fresh hour-long window: the test's few seconds of real time never cross a boundary.
        Instant now = Instant.now();
        clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(HOUR).plusSeconds(1)));
    }

    private AgentCallCounts instance(int limit) {
        var rateLimit = new IdentityProperties.RateLimit(1_000_000, HOUR, Duration.ofMillis(250), Map.of("flood-agent", limit));
        var identity = new IdentityProperties("countersign", "groups", "preferred_username", null, null, null, List.of(), List.of(), List.of(),
                Duration.ofSeconds(10), rateLimit, 3, null, List.of());
        return new AgentCallCounts(identity, jdbc, clock, events::add);
    }

    private static long admitted(AgentCallCounts counts, int attempts) throws Exception {
        return Concurrently.run(attempts, i -> counts.admit("flood-agent")).stream().filter(AgentCallCounts.Admission::admitted).count();
    }

    @Test
    void exactlyTheLimitIsAdmittedWhenCallsRace() throws Exception {
        var counts = instance(100);

        var answers = Concurrently.run(300, i -> counts.admit("flood-agent"));

        assertThat(answers).hasSize(300);
        assertThat(answers).filteredOn(AgentCallCounts.Admission::admitted).hasSize(100);
        assertThat(answers).filteredOn(answer -> !answer.admitted()).hasSize(200).allSatisfy(refused -> {
            assertThat(refused.limit()).isEqualTo(100);
            // The window is an hour and full: one more call fits only once part of it has slid past.
            assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), HOUR.multipliedBy(2));
        });
        assertThat(counts.admit("other-agent").admitted()).as("another agent has a budget of its own").isTrue();
    }

    @Test
    void instancesShareWhatTheyCounted() throws Exception {
        var a = instance(100);
        var b = instance(100);
        assertThat(admitted(a, 60)).isEqualTo(60);

        a.share();
        b.share();

        assertThat(admitted(b, 100)).as("B knows A's 60 calls").isEqualTo(40);
        b.share();
        a.share();
        assertThat(a.admit("flood-agent").admitted()).as("A knows B's 40 calls").isFalse();
        assertThat(jdbc.sql("select sum(calls) from agent_call_count where agent_id = 'flood-agent'").query(Long.class).single())
                .isEqualTo(100);
    }

    @Test
    void theWindowSlides() throws Exception {
        var counts = instance(100);
        assertThat(admitted(counts, 100)).isEqualTo(100);
        counts.share();

        // Half-way through the next window, half of the previous one's calls still count.
        clock.advance(HOUR.dividedBy(2).plus(HOUR.minusSeconds(1)));
        assertThat(admitted(counts, 100)).isEqualTo(50);
        counts.share();
        assertThat(jdbc.sql("select count(*) from agent_call_count").query(Long.class).single()).isEqualTo(2);

        // Two windows on, nothing from the first two counts any more.
        clock.advance(HOUR.multipliedBy(2));
        assertThat(admitted(counts, 150)).isEqualTo(100);
        counts.share();
        assertThat(jdbc.sql("select count(*) from agent_call_count").query(Long.class).single())
                .as("windows before the previous one are deleted").isEqualTo(1);
    }

    @Test
    void aFloodIsReportedOncePerWindowAndInstance() throws Exception {
        var counts = instance(10);
        assertThat(admitted(counts, 50)).isEqualTo(10);

        counts.share();
        assertThat(admitted(counts, 50)).isZero();
        counts.share();

        assertThat(events).singleElement().isInstanceOfSatisfying(AgentRateLimited.class, limited -> {
            assertThat(limited.agentId()).isEqualTo("flood-agent");
            assertThat(limited.limit()).isEqualTo(10);
            assertThat(limited.refused()).isEqualTo(40);
        });
    }
}

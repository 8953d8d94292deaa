package dev.countersign.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.identity.Callers;
import dev.countersign.identity.IdentityProperties;
import dev.countersign.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A delegated token's call counts against every agent of its chain: handing work to a sub-agent
 * does not multiply an orchestrator's calls, and a call refused for one link costs the others
 * nothing. Counted in memory only here (nothing is shared in these few calls).
 */
class AgentRateLimitTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock();
    private final IdentityProperties identity = new IdentityProperties("countersign", "groups", "preferred_username", null, null, null,
            List.of(agent("orchestrator", List.of("billing-agent")), agent("billing-agent", List.of())), List.of(), List.of(),
            Duration.ofSeconds(10), new IdentityProperties.RateLimit(1_000, HOUR, Duration.ofMillis(250),
                    Map.of("orchestrator", 2, "billing-agent", 3)), 3, null, List.of());
    private final AgentRateLimit limit;

    AgentRateLimitTest() {
        // A fresh hour-long window: the test's real time never crosses a boundary.
        Instant now = Instant.now();
        clock.advance(Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(HOUR).plusSeconds(1)));
        var counts = new AgentCallCounts(identity, null, clock, event -> { });
        limit = new AgentRateLimit(counts, new Callers(identity, null), identity, JsonMapper.shared(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aChainedCallCountsAgainstEveryLinkAndARefusalCostsTheOthersNothing() throws Exception {
        Jwt chained = token("orchestrator", Map.of("sub", "billing-agent"));
        Jwt billing = token("billing-agent", null);

        assertThat(List.of(call(chained), call(chained))).containsExactly(200, 200);
        // The orchestrator's limit (2) is spent, although billing-agent, acting now, has one call left.
        var refused = response(chained);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getContentAsString()).contains("Agent orchestrator made more than its 2 calls");
        // That refusal took nothing from billing-agent: it has exactly one call left of its 3.
        assertThat(List.of(call(billing), call(billing))).containsExactly(200, 429);
    }

    private int call(Jwt token) throws Exception {
        return response(token).getStatus();
    }

    private MockHttpServletResponse response(Jwt token) throws Exception {
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(token, List.of()));
        var response = new MockHttpServletResponse();
        limit.doFilter(new MockHttpServletRequest("POST", "/api/v1/actions"), response, new MockFilterChain());
        return response;
    }

    private static Jwt token(String subject, Map<String, Object> act) {
        var token = Jwt.withTokenValue("t").header("alg", "RS256").subject(subject);
        if (act != null) {
            token.claim("act", act);
        }
        return token.build();
    }

    private static IdentityProperties.AgentEntry agent(String id, List<String> delegates) {
        return new IdentityProperties.AgentEntry(id, null, "dana", List.of("payments.*"), true, null, List.of(), delegates, null);
    }
}

package dev.countersign.edge.internal;

import dev.countersign.common.Problems;
import dev.countersign.identity.Callers;
import dev.countersign.identity.IdentityProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code 429 too_many_requests} to an agent over its call limit, on the API and the MCP
 * gateway alike, before any work or query: one agent's flood must not slow the others (a refused
 * call used to cost an audited write). Runs right after Spring Security's chains, which have
 * authenticated the token; humans and gateways are not limited here.
 */
class AgentRateLimit extends OncePerRequestFilter {

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        AgentCallCounts agentCallCounts(IdentityProperties identity, JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
            return new AgentCallCounts(identity, jdbc, clock, events);
        }

        @Bean
        FilterRegistrationBean<AgentRateLimit> agentRateLimit(AgentCallCounts counts, Callers callers, IdentityProperties identity,
                                                             JsonMapper json, io.micrometer.core.instrument.MeterRegistry meters) {
            var registration = new FilterRegistrationBean<>(new AgentRateLimit(counts, callers, identity, json, meters));
            registration.addUrlPatterns("/api/*", "/mcp", "/mcp/*");
            // Spring Security's filter chain proxy is at -100: by here the request is authenticated.
            registration.setOrder(-90);
            return registration;
        }
    }

    private final AgentCallCounts counts;
    private final Callers callers;
    private final IdentityProperties identity;
    private final JsonMapper json;

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    AgentRateLimit(AgentCallCounts counts, Callers callers, IdentityProperties identity, JsonMapper json,
                   io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.counts = counts;
        this.callers = callers;
        this.identity = identity;
        this.json = json;
    }

    /**
     * A delegated token's call counts against every agent of its chain: an orchestrator cannot multiply its calls by
     * handing work to sub-agents, nor a sub-agent escape its limit by acting for someone else.
     */
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> agents = callers.agentsCalling();
        Map<String, AgentCallCounts.Admission> admitted = new LinkedHashMap<>();
        for (String agent : agents) {
            var admission = counts.admit(agent);
            if (!admission.admitted()) {
                // Nothing is served: the links admitted before this one get their call back.
                admitted.forEach(counts::notServed);
                refuse(response, agent, admission);
                return;
            }
            admitted.put(agent, admission);
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (response.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
                admitted.forEach(counts::notServed);
            }
        }
    }

    private void refuse(HttpServletResponse response, String agent, AgentCallCounts.Admission admission) throws IOException {
        // Agents are the registered ones (a token naming no registered agent is never counted), so the label is bounded;
        // one counter per agent, looked up without building a meter id on every refused call of a flood.
        refusals.computeIfAbsent(agent, id -> io.micrometer.core.instrument.Counter.builder("countersign.ratelimit.refused")
                .description("Calls answered 429 because the agent went over its call limit").tag("agent", id)
                .register(meters)).increment();
        long seconds = Math.max(1, (admission.retryAfter().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        Problems.write(response, json, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                "Agent " + agent + " made more than its " + admission.limit() + " calls per "
                        + identity.rateLimit().per().toSeconds() + " s; try again in " + seconds
                        + " s (a retry with the same Idempotency-Key is safe)"));
    }
}

package dev.countersign.edge.internal;

import dev.countersign.identity.Callers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every log line of a call says about it (docs/operations.md, "Logs"): the call's id, which is its trace id and is
 * answered as {@code X-Request-Id} (and in a problem's {@code instance}), and the agent calling. The request the call is
 * about ({@code actionRequest}) is added where it becomes known, and taken away here when the call ends.
 */
final class CallLogContext {

    static final String REQUEST_ID = "X-Request-Id";
    static final String AGENT = "agent";
    static final String ACTION_REQUEST = "actionRequest";

    private CallLogContext() {
    }

    @Configuration(proxyBeanMethods = false)
    static class Filters {

        /** Right after the server's observation opened the call's span (and put its trace id in the MDC). */
        @Bean
        FilterRegistrationBean<RequestIdHeader> requestIdHeader() {
            var registration = new FilterRegistrationBean<>(new RequestIdHeader());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
            return registration;
        }

        /** Once Spring Security's filters (at -100) know who calls. */
        @Bean
        FilterRegistrationBean<CallerInLog> callerInLog(Callers callers) {
            var registration = new FilterRegistrationBean<>(new CallerInLog(callers));
            registration.setOrder(-95);
            return registration;
        }
    }

    /** {@code X-Request-Id: <trace id>} on every answer, refusals of Spring Security included. */
    static final class RequestIdHeader extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String trace = MDC.get("traceId");
            if (trace != null) {
                response.setHeader(REQUEST_ID, trace);
            }
            chain.doFilter(request, response);
        }
    }

    /** {@code agent} in the MDC for an agent's call (the whole chain, root first, for a delegated one). */
    static final class CallerInLog extends OncePerRequestFilter {

        private final Callers callers;

        CallerInLog(Callers callers) {
            this.callers = callers;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            List<String> agents = callers.agentsCalling();
            if (!agents.isEmpty()) {
                MDC.put(AGENT, String.join(">", agents));
            }
            try {
                chain.doFilter(request, response);
            } finally {
                MDC.remove(AGENT);
                MDC.remove(ACTION_REQUEST);
            }
        }
    }
}

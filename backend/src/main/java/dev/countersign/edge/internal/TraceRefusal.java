package dev.countersign.edge.internal;

import dev.countersign.common.Problems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code TRACE} (and {@code TRACK}) answer {@code 405} as a problem, on every path. A container may
 * refuse TRACE before any servlet and forward the 405 to the error page (Tomcat did), whose dispatch
 * the console's security then redirected to its login page (a {@code 302}). A plain filter (not a
 * {@code OncePerRequestFilter}, which skips error dispatches) sees both the request and that error
 * dispatch, ahead of every security chain.
 */
@Configuration(proxyBeanMethods = false)
class TraceRefusal implements Filter {

    static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final Set<String> REFUSED = Set.of("TRACE", "TRACK");

    private final JsonMapper json;

    TraceRefusal(JsonMapper json) {
        this.json = json;
    }

    @Bean
    FilterRegistrationBean<TraceRefusal> traceRefusalRegistration() {
        var registration = new FilterRegistrationBean<>(this);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer && !answer.isCommitted()) {
            if (REFUSED.contains(http.getMethod().toUpperCase(java.util.Locale.ROOT))) {
                refuse(answer, http.getMethod() + " is not served here (it would echo credentials back); use " + ALLOW);
                return;
            }
            // A container that refuses TRACE itself dispatches its 405 to the error page as a GET: answer that here too.
            if (http.getDispatcherType() == DispatcherType.ERROR
                    && Integer.valueOf(405).equals(http.getAttribute(RequestDispatcher.ERROR_STATUS_CODE))) {
                Object message = http.getAttribute(RequestDispatcher.ERROR_MESSAGE);
                refuse(answer, (message == null || message.toString().isBlank() ? "This method is not allowed here" : message)
                        + "; use " + ALLOW);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse answer, String detail) throws IOException {
        answer.resetBuffer();
        answer.setHeader("Allow", ALLOW);
        Problems.write(answer, json, Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", detail));
    }
}

package dev.countersign.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Approvers' pages are never framed (clickjacking a vote), stored by a browser or proxy, or
 * content-sniffed. Set here rather than in the console's security chain, whose header settings
 * Vaadin's configurer replaces; Vaadin's own versioned static files keep their caching.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleHeaders extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        if (!request.getRequestURI().startsWith("/VAADIN/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }
}

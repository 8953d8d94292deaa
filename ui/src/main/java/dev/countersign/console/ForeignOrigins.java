package dev.countersign.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sign-in and sign-out are posted from the console's own pages only: a browser posting them from
 * another site (login CSRF: signing a victim into the attacker's account, or out of their own)
 * sends that site's {@code Origin}, and is refused. Clients that send no {@code Origin} are not
 * browsers on another site.
 */
class ForeignOrigins extends OncePerRequestFilter {

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<ForeignOrigins> foreignOrigins() {
            var registration = new FilterRegistrationBean<>(new ForeignOrigins());
            registration.addUrlPatterns("/login", "/logout");
            registration.setOrder(-300);
            return registration;
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader("Origin") == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!sameOrigin(request.getHeader("Origin"), request)) {
            // Written here, not through the error page, which the console's chain would turn into a redirect.
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Sign in from Countersign's own console page.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI from = URI.create(origin);
            int port = from.getPort() != -1 ? from.getPort() : "https".equals(from.getScheme()) ? 443 : 80;
            return request.getScheme().equalsIgnoreCase(from.getScheme()) && request.getServerName().equalsIgnoreCase(from.getHost())
                    && request.getServerPort() == port;
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }
}

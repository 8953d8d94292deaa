package dev.countersign.identity.internal;

import dev.countersign.common.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows password and client-secret guessing at the console's {@code POST /login} and the built-in
 * issuer's {@code POST /oauth2/token}. Failures are counted per account and per address; after
 * {@link #FREE_FAILURES} in a row, each further attempt must wait, doubling from one second up
 * to a minute. The cap is what keeps an attacker from locking a real user out for long: at worst
 * they wait a minute, and a success clears the account's count. Counted in the database, so all
 * instances share the count.
 */
class SignInThrottle extends OncePerRequestFilter {

    /** Before Spring Security's chains (order -100), so a blocked attempt never reaches a password check. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Registration {
        @org.springframework.context.annotation.Bean
        org.springframework.boot.web.servlet.FilterRegistrationBean<SignInThrottle> signInThrottle(JdbcClient jdbc, Clock clock,
                                                                                                 tools.jackson.databind.json.JsonMapper json) {
            var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
                    new SignInThrottle(jdbc, clock, new dev.countersign.identity.SecurityProblems(json)));
            registration.addUrlPatterns("/login", "/oauth2/token");
            registration.setOrder(-200);
            return registration;
        }
    }

    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 50;
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final dev.countersign.identity.SecurityProblems problems;

    SignInThrottle(JdbcClient jdbc, Clock clock, dev.countersign.identity.SecurityProblems problems) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !(request.getRequestURI().equals("/login") || request.getRequestURI().equals("/oauth2/token"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String account = "account:" + account(request).orElse("?");
        String address = "address:" + request.getRemoteAddr();
        Instant now = clock.instant();
        Optional<Instant> blocked = blockedUntil(List.of(account, address), now);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, Duration.between(now, blocked.get()).toSeconds() + 1);
            response.setHeader("Retry-After", Long.toString(seconds));
            problems.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
                    "Too many failed sign-ins for this account or address; try again in " + seconds + " s"));
            return;
        }
        chain.doFilter(request, response);
        if (failed(request, response)) {
            fail(account, FREE_FAILURES, now);
            fail(address, FREE_FAILURES_PER_ADDRESS, now);
        } else if (response.getStatus() < 400) {
            // A success clears the account, and the address (people behind one NAT should not wait for each other's typos).
            jdbc.sql("delete from sign_in_throttle where throttle_key in (?, ?)").params(account, address).update();
        }
    }

    /** The console answers a wrong password with a redirect to {@code /login?error}; the token endpoint with 401. */
    private static boolean failed(HttpServletRequest request, HttpServletResponse response) {
        if (request.getRequestURI().equals("/oauth2/token")) {
            return response.getStatus() == 401;
        }
        String location = response.getHeader("Location");
        return response.getStatus() == 302 && location != null && location.contains("error");
    }

    private Optional<Instant> blockedUntil(List<String> keys, Instant now) {
        return jdbc.sql("select max(blocked_until) from sign_in_throttle where throttle_key in (?, ?)")
                .params(keys.get(0), keys.get(1))
                .query(Timestamp.class).optional().map(Timestamp::toInstant).filter(until -> until.isAfter(now));
    }

    private void fail(String key, int free, Instant now) {
        int failures = jdbc.sql("select failures from sign_in_throttle where throttle_key = ?").param(key).query(Integer.class)
                .optional().orElse(0) + 1;
        Instant until = null;
        if (failures > free) {
            Duration wait = Duration.ofSeconds(1L << Math.min(failures - free - 1, 6));
            until = now.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
        }
        Timestamp blocked = until == null ? null : Timestamp.from(until);
        if (jdbc.sql("update sign_in_throttle set failures = ?, blocked_until = ? where throttle_key = ?")
                .params(failures, blocked, key).update() == 0) {
            try {
                jdbc.sql("insert into sign_in_throttle (throttle_key, failures, blocked_until) values (?, ?, ?)")
                        .params(key, failures, blocked).update();
            } catch (org.springframework.dao.DuplicateKeyException concurrent) {
                // Another failure for the same key counted first; this one is close enough to count as the same.
            }
        }
    }

    /**
     * The account being tried, spelled as the check that follows resolves it, so that no other spelling starts a fresh
     * count: at the token endpoint the client id, form-decoded as Spring's HTTP Basic reader decodes it (RFC 6749
     * 2.3.1: {@code %61lice} is {@code alice}); at the console's form the username as people are found, ignoring
     * surrounding space and letter case ({@code CAROL} is {@code carol}).
     */
    private static Optional<String> account(HttpServletRequest request) {
        boolean console = request.getRequestURI().equals("/login");
        String header = request.getHeader("Authorization");
        String name;
        if (!console && header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                name = formDecoded(colon < 0 ? decoded : decoded.substring(0, colon));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        } else {
            name = request.getParameter(console ? "username" : "client_id");
        }
        return Optional.ofNullable(name).map(n -> console ? n.strip().toLowerCase(Locale.ROOT) : n)
                .map(n -> n.length() > 300 ? n.substring(0, 300) : n);
    }

    private static String formDecoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // refused by the token endpoint as it stands; counted as it was sent
        }
    }
}

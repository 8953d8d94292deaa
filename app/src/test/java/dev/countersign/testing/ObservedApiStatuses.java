package dev.countersign.testing;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes down every status each API path answered during the test suite, in every application context the tests start
 * (a component in the scanned packages; before every other filter, so refusals at the door count too). ApiStatusesIT
 * then holds the OpenAPI document to it: a status the API was seen to answer must be documented for that operation.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ObservedApiStatuses extends OncePerRequestFilter {

    /** A directory, so that test JVMs running side by side (surefire's forks) could each write a file; ApiStatusesIT reads them all. */
    public static final Path DIRECTORY = Path.of("target", "observed-api-statuses");
    private static final Path FILE = DIRECTORY.resolve("surefire.txt");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    /** The file of an earlier run goes at the first call of this one (not when the class loads: ApiStatusesIT reads it). */
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (!request.isAsyncStarted()) {
                record(request.getMethod(), request.getRequestURI(), response.getStatus());
            }
        }
    }

    /** A held long-poll is answered on an async dispatch: its status is known only then. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private static synchronized void record(String method, String path, int status) {
        if (!path.startsWith("/api/") && !path.startsWith("/.well-known/jwks.json")) {
            return;
        }
        String line = method + " " + path.replaceAll("/(act|sa|ap)_[A-Za-z0-9_-]+", "/$1_x") + " " + status;
        if (SEEN.add(line)) {
            try {
                if (STARTED.compareAndSet(false, true)) {
                    Files.createDirectories(DIRECTORY);
                    Files.deleteIfExists(FILE);
                }
                Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package dev.countersign.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;

/**
 * One SPIFFE trust domain's bundle: the keys that sign its JWT-SVIDs, read from a file (what
 * {@code spire-server bundle show -format spiffe} writes) or a bundle endpoint URL. Keys marked
 * for X.509-SVIDs only are not used. Read at start-up (a bundle that cannot be read stops the
 * start: an unreadable trust anchor must not pass silently), again every {@code refresh}, and at
 * most once per {@link #MIN_RELOAD} when a token names a key not seen yet (the domain rotated).
 * A failed reload keeps the keys it had.
 */
final class SpiffeBundle implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SpiffeBundle.class);
    static final Duration MIN_RELOAD = Duration.ofSeconds(10);

    private final String trustDomain;
    private final Resource location;
    private final Duration refresh;
    private final Clock clock;
    private volatile JWKSet keys;
    private volatile Instant loadedAt;

    SpiffeBundle(String trustDomain, Resource location, Duration refresh, Clock clock) {
        this.trustDomain = trustDomain;
        this.location = location;
        this.refresh = refresh;
        this.clock = clock;
        this.keys = read();
        this.loadedAt = clock.instant();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        Instant now = clock.instant();
        if (loadedAt.plus(refresh).isBefore(now)) {
            reload(now);
        }
        List<JWK> found = selector.select(keys);
        if (found.isEmpty() && loadedAt.plus(MIN_RELOAD).isBefore(now)) {
            reload(now);
            found = selector.select(keys);
        }
        return found;
    }

    private synchronized void reload(Instant now) {
        if (!loadedAt.isBefore(now.minus(MIN_RELOAD))) {
            return;
        }
        try {
            keys = read();
        } catch (IllegalStateException e) {
            log.warn("SPIFFE trust domain {}: the bundle at {} could not be read again; its last keys stay in use: {}", trustDomain,
                    location, e.getMessage());
        }
        loadedAt = now;
    }

    private JWKSet read() {
        try (InputStream in = location.getInputStream()) {
            JWKSet set = JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            // A SPIFFE bundle marks each key's use: jwt-svid or x509-svid. Only the former sign JWT-SVIDs.
            List<JWK> forSvids = new java.util.ArrayList<>();
            for (JWK key : set.getKeys()) {
                if (key.getKeyUse() == null || "jwt-svid".equals(key.getKeyUse().identifier())) {
                    // Without its SPIFFE use: the verifier's key matcher takes keys for "sig" or of no stated use.
                    var json = new java.util.HashMap<>(key.toJSONObject());
                    json.remove("use");
                    forSvids.add(JWK.parse(json));
                }
            }
            return new JWKSet(forSvids);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("SPIFFE trust domain " + trustDomain + ": cannot read its bundle at " + location
                    + " (a JWKS, as spire-server bundle show -format spiffe writes it): " + e.getMessage(), e);
        }
    }
}

package dev.countersign.grants.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.countersign.audit.AuditLog;
import dev.countersign.identity.Callers;
import dev.countersign.common.ApiProblem;
import dev.countersign.grants.GrantProperties;
import dev.countersign.grants.GrantRedeemer;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Redeems a grant exactly once. The signature, expiry and binding are checked first; then one
 * conditional update on {@code redeemed_at IS NULL} decides among any number of concurrent tries.
 */
@Component
class GrantRedemption implements GrantRedeemer {

    private final JdbcClient jdbc;
    private final SigningKeys keys;
    private final GrantProperties properties;
    private final AuditLog audit;
    private final Clock clock;
    private final Callers callers;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    GrantRedemption(JdbcClient jdbc, SigningKeys keys, GrantProperties properties, AuditLog audit, Clock clock, Callers callers,
                    io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.callers = callers;
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    @Transactional(noRollbackFor = ApiProblem.class)
    public Redeemed redeem(String token, String actionHash, String gateway) {
        SignedJWT jwt;
        try {
            jwt = verified(token);
        } catch (ApiProblem malformed) {
            counted("malformed");
            throw malformed;
        }
        Instant now = clock.instant();
        try {
            var claims = jwt.getJWTClaimsSet();
            String jti = claims.getJWTID();
            if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
                throw refused("expired", jti, gateway, "the grant has expired; ask again for the action");
            }
            if (!properties.issuer().equals(claims.getIssuer())) {
                throw refused("wrong_issuer", jti, gateway, "the grant was not issued by this Countersign");
            }
            if (actionHash == null || !actionHash.equals(claims.getStringClaim(GrantClaims.ACTION_HASH))) {
                throw refused("other_action", jti, gateway, "the grant is bound to another action (actionHash does not match)");
            }
            // The agent is the grant's subject, read from the claims the signature just vouched for, with its chain.
            List<String> chain = claims.getStringListClaim(GrantClaims.CHAIN);
            requireEnabled(chain == null ? List.of(claims.getSubject()) : chain, jti, gateway);
            return claim(jti, actionHash, gateway, now);
        } catch (ParseException e) {
            throw invalid("the grant's claims cannot be read");
        }
    }

    /**
     * For a gateway inside Countersign, which takes the grant from Countersign itself and never
     * from the agent: there is no token from outside to verify, so no signature check; the same
     * expiry, switch and single-use conditional update as {@link #redeem}.
     */
    @Override
    @Transactional(noRollbackFor = ApiProblem.class)
    public Redeemed redeemIssued(String requestId, String actionHash, String gateway) {
        Instant now = clock.instant();
        var issued = jdbc.sql("select jti, agent_id, action_hash, expires_at, chain_agents from grant_token where request_id = ?")
                .param(requestId)
                .query((rs, n) -> new Issued(rs.getString("jti"), rs.getString("chain_agents") == null ? List.of(rs.getString("agent_id"))
                        : dev.countersign.common.IdList.decode(rs.getString("chain_agents")), rs.getString("action_hash"),
                        rs.getTimestamp("expires_at").toInstant()))
                .optional()
                .orElseThrow(() -> refused("unknown", null, gateway, "request " + requestId + " has no grant"));
        if (!issued.actionHash().equals(actionHash)) {
            throw refused("other_action", issued.jti(), gateway, "the grant is bound to another action (actionHash does not match)");
        }
        if (!issued.expiresAt().isAfter(now)) {
            throw refused("expired", issued.jti(), gateway, "the grant has expired; ask again for the action");
        }
        requireEnabled(issued.agents(), issued.jti(), gateway);
        return claim(issued.jti(), actionHash, gateway, now);
    }

    /** {@code countersign.grants.redemptions}: {@code outcome} redeemed, or why it was refused (a fixed set of reasons). */
    private void counted(String outcome) {
        dev.countersign.common.AfterCommit.run(() -> io.micrometer.core.instrument.Counter.builder("countersign.grants.redemptions")
                .description("Grant redemptions, by outcome: redeemed or the reason of the refusal").tag("outcome", outcome)
                .register(meters).increment());
    }

    private record Issued(String jti, List<String> agents, String actionHash, Instant expiresAt) {
    }

    /**
     * Switching an agent off revokes its grants, and those of every chain that names it; this also covers one issued
     * by a vote that raced the switch.
     */
    private void requireEnabled(List<String> agents, String jti, String gateway) {
        callers.switchedOff(agents.stream().filter(java.util.Objects::nonNull).toList()).ifPresent(agent -> {
            throw refused("agent_switched_off", jti, gateway, "agent '" + agent + "' is switched off; its grants no longer redeem");
        });
    }

    /** The one conditional update that lets exactly one redemption of the grant win, and its audit entry. */
    private Redeemed claim(String jti, String actionHash, String gateway, Instant now) {
        int updated = jdbc.sql("""
                update grant_token set redeemed_at = ?, redeemed_by = ?
                where jti = ? and action_hash = ? and redeemed_at is null and revoked_at is null and expires_at > ?""")
                .params(Timestamp.from(now), gateway, jti, actionHash, Timestamp.from(now))
                .update();
        var row = jdbc.sql("select request_id, agent_id, tool, action_hash, redeemed_at, revoked_at from grant_token where jti = ?")
                .param(jti)
                .query((rs, n) -> new Row(new Redeemed(rs.getString("request_id"), rs.getString("agent_id"), rs.getString("tool"),
                        rs.getString("action_hash")), rs.getTimestamp("revoked_at") != null))
                .optional()
                .orElseThrow(() -> refused("unknown", jti, gateway, "the grant is unknown"));
        if (updated == 1) {
            counted("redeemed");
            audit.record("grant.redeemed", gateway, row.grant().requestId(), Map.of("jti", jti, "tool", row.grant().tool()));
            return row.grant();
        }
        if (row.revoked()) {
            throw refused("revoked", jti, gateway, "the grant was revoked");
        }
        counted("already_redeemed");
        audit.record("grant.redeem_refused", gateway, row.grant().requestId(), Map.of("jti", jti, "reason", "already redeemed"));
        throw new ApiProblem(HttpStatus.CONFLICT, "grant_already_redeemed",
                "This grant was already redeemed; a grant is single-use, so the agent must ask again");
    }

    private SignedJWT verified(String token) {
        if (token == null || token.isBlank()) {
            throw invalid("grant is required");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !JwsGrants.GRANT_TYPE.equals(jwt.getHeader().getType())) {
                throw invalid("not a Countersign grant (ES256, typ countersign-grant+jwt)");
            }
            String kid = jwt.getHeader().getKeyID();
            if (kid == null || kid.isBlank()) {
                throw invalid("the grant names no signing key (kid); redeem the grant exactly as Countersign issued it");
            }
            var key = keys.byKid(kid).orElseThrow(() -> invalid("the grant's signing key is unknown"));
            if (!CanonicalSignature.isLow(jwt.getSignature().decode())) {
                throw invalid("the grant's signature is not in its canonical (low-S) form; redeem the grant exactly as Countersign issued it");
            }
            if (!jwt.verify(new ECDSAVerifier(key.toPublicJWK()))) {
                throw invalid("the grant's signature does not verify");
            }
            return jwt;
        } catch (ParseException | JOSEException e) {
            throw invalid("the grant is not a well-formed JWS");
        }
    }

    private ApiProblem refused(String reason, String jti, String gateway, String why) {
        counted(reason);
        audit.record("grant.redeem_refused", gateway, null, Map.of("jti", String.valueOf(jti), "reason", why));
        return invalid(why);
    }

    private static ApiProblem invalid(String why) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "grant_invalid", "Grant refused: " + why);
    }

    private record Row(Redeemed grant, boolean revoked) {
    }
}

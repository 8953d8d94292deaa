package dev.countersign.identity.internal;

import dev.countersign.identity.IdentityProperties;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses configurations that would make the gate lie: an id that is both an agent and an
 * approver (an agent could vote), and the demo issuer or demo secrets in production mode.
 */
@Component
class IdentityChecks implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(IdentityChecks.class);

    private final IdentityProperties identity;
    private final String mode;

    IdentityChecks(IdentityProperties identity, @Value("${countersign.mode:demo}") String mode) {
        this.identity = identity;
        this.mode = mode;
    }

    @Override
    public void afterPropertiesSet() {
        Set<String> seen = new HashSet<>();
        Stream.of(identity.agents().stream().map(IdentityProperties.AgentEntry::id),
                        identity.approvers().stream().map(IdentityProperties.ApproverEntry::id),
                        identity.gateways().stream().map(IdentityProperties.GatewayEntry::id),
                        identity.scrapers().stream().map(IdentityProperties.ScraperEntry::id))
                .flatMap(s -> s)
                .forEach(id -> {
                    if (!seen.add(id)) {
                        throw new IllegalStateException("Identity '" + id + "' is configured twice (as agent, approver, gateway or scraper); "
                                + "each identity must have exactly one kind");
                    }
                });
        if (identity.builtInIssuer().enabled()) {
            log.info("Built-in token issuer: {} (the tokens' iss; the MCP gateway's metadata sends clients there). Behind a proxy or "
                    + "on another host, set countersign.identity.built-in-issuer.issuer-uri (COUNTERSIGN_ISSUER_URI) to the URL agents use",
                    identity.builtInIssuer().issuerUri());
        }
        if ("production".equals(mode)) {
            if (identity.builtInIssuer().enabled()) {
                throw new IllegalStateException("countersign.mode=production refuses the built-in demo issuer: set "
                        + "countersign.identity.built-in-issuer.enabled=false and point countersign.identity.issuer-uri at your issuer");
            }
            if (identity.approvers().stream().anyMatch(a -> a.secret() != null)) {
                throw new IllegalStateException("countersign.mode=production refuses approvers with passwords in configuration: "
                        + "humans sign in through your OIDC provider");
            }
        } else {
            long withPasswords = identity.approvers().stream().filter(a -> a.secret() != null).count();
            log.warn("Countersign runs in DEMO mode ({}; {} approver(s) with a password in configuration). Never expose this to real "
                    + "agents; set countersign.mode=production for real use (README, \"For production\").",
                    identity.builtInIssuer().enabled() ? "the built-in token issuer is on" : "tokens from " + identity.issuerUri(), withPasswords);
        }
    }
}

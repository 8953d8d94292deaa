package dev.countersign.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.identity.*}: the registered agents and gateways, the approvers known to
 * the built-in issuer and the console's form login, and how tokens are validated
 * ({@code clock-skew}: how long past its expiry a token is still accepted, 10 s by default).
 *
 * <p>{@code username-claim} names a person in your issuer's tokens (default {@code preferred_username}), the same claim
 * the console's OIDC sign-in reads: one person is one approver whichever door they use. Agents and gateways are named by
 * {@code sub}; tokens of the built-in issuer name everyone by {@code sub}.
 */
@ConfigurationProperties("countersign.identity")
public record IdentityProperties(
        @DefaultValue("countersign") String audience,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue("preferred_username") String usernameClaim,
        String issuerUri,
        String jwkSetUri,
        BuiltInIssuer builtInIssuer,
        List<AgentEntry> agents,
        List<ApproverEntry> approvers,
        List<GatewayEntry> gateways,
        @DefaultValue("10s") Duration clockSkew,
        RateLimit rateLimit,
        @DefaultValue("3") int maxChain,
        Spiffe spiffe,
        List<ScraperEntry> scrapers) {

    public IdentityProperties {
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("countersign.identity.clock-skew must be between 0s and 60s, not " + clockSkew);
        }
        builtInIssuer = builtInIssuer == null ? new BuiltInIssuer(true, "http://localhost:8080", Duration.ofMinutes(15), Duration.ofDays(30)) : builtInIssuer;
        if (builtInIssuer.enabled() && issuerUri != null && !issuerUri.isBlank()) {
            // The API takes one issuer's tokens; ignoring the external one silently left its tokens answered 401.
            throw new IllegalStateException("countersign.identity.issuer-uri (" + issuerUri + ") is set while the built-in issuer is on, "
                    + "and the API takes one issuer's tokens: set countersign.identity.built-in-issuer.enabled=false to take your "
                    + "issuer's, or remove issuer-uri to keep the built-in one");
        }
        agents = agents == null ? List.of() : List.copyOf(agents);
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        scrapers = scrapers == null ? List.of() : List.copyOf(scrapers);
        rateLimit = rateLimit == null ? new RateLimit(600, Duration.ofMinutes(1), Duration.ofMillis(250), Map.of()) : rateLimit;
        spiffe = spiffe == null ? new Spiffe(Map.of(), null) : spiffe;
        if (maxChain < 1 || maxChain > 10) {
            throw new IllegalArgumentException("countersign.identity.max-chain must be between 1 (no delegation) and 10, not " + maxChain);
        }
    }


    /** The issuer whose tokens the API accepts: the built-in one while it is on, else {@code issuer-uri}. */
    public String tokenIssuer() {
        return builtInIssuer.enabled() ? builtInIssuer.issuerUri() : issuerUri;
    }

    /** The embedded OAuth2 issuer (client-credentials): for the demo and for trying Countersign out. */
    /**
     * @param keyRotation how long one signing key signs; older keys keep verifying until their tokens have expired
     */
    public record BuiltInIssuer(@DefaultValue("true") boolean enabled,
                                @DefaultValue("http://localhost:8080") String issuerUri,
                                @DefaultValue("15m") Duration tokenTtl,
                                @DefaultValue("30d") Duration keyRotation) {
    }

    /**
     * An agent; {@code secret} is only used by the built-in issuer. {@code name}: what people read (console, Slack) beside
     * the id, useful when the id is an issuer's {@code sub} such as a UUID or a SPIFFE ID. {@code delegates}: the agents
     * it may hand work to by token exchange (none by default); what they do then is limited to the tools both have.
     */
    public record AgentEntry(String id, String secret, String owner, List<String> tools,
                             @DefaultValue("true") boolean enabled, String name, List<Callback> callbacks, List<String> delegates,
                             RuntimeClaims runtimeClaims) {
        public AgentEntry {
            tools = tools == null ? List.of() : List.copyOf(tools);
            delegates = delegates == null ? List.of() : List.copyOf(delegates);
            runtimeClaims = runtimeClaims == null ? RuntimeClaims.NONE : runtimeClaims;
            callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
            callbacks.forEach(callback -> callback.check(id));
        }
    }

    /**
     * Where Countersign tells an agent that cannot hold a long-poll (a workflow engine that resumes on a signal) that its
     * request was decided: a POST signed as Standard Webhooks do ({@code webhook-id}, {@code webhook-timestamp},
     * {@code webhook-signature}: HMAC-SHA256 with {@code secret}). The allow-list is this configuration: no URL from a
     * request is ever called. {@code addresses}: the IP addresses (or CIDR ranges) the URL's host may resolve to when
     * they are not public ones (a callback on the loopback, a private network or link-local address is refused unless
     * named here).
     */
    public record Callback(java.net.URI url, String secret, List<String> addresses) {
        public Callback {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        void check(String agent) {
            String where = "countersign.identity.agents[" + agent + "].callbacks";
            if (url == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null
                    || url.getUserInfo() != null || url.getFragment() != null) {
                throw new IllegalArgumentException(where + ": url must be an http(s) URL with a host and no user or fragment, not " + url);
            }
            if (secret == null || secret.length() < 16) {
                throw new IllegalArgumentException(where + ": secret must be at least 16 characters (Standard Webhooks: whsec_ and "
                        + "base64 of 24 to 64 random bytes)");
            }
        }
    }

    /**
     * How many calls one agent may make to {@code /api/**} and {@code /mcp}, counted over a window
     * sliding by {@code per} across every instance on the database. Each instance counts in memory
     * and shares its counts every {@code share-every}, so a refusal never waits for the database. The
     * limit is an estimate (a sliding-window counter, shared late): bursty calls across instances can
     * be admitted beyond it (measured: 697 against 600 with three instances; docs/operations.md).
     * {@code agents}: limits of their own, by agent id (a map, so that it merges across sources).
     */
    public record RateLimit(@DefaultValue("600") int calls, @DefaultValue("1m") Duration per,
                            @DefaultValue("250ms") Duration shareEvery, Map<String, Integer> agents) {
        public RateLimit {
            agents = agents == null ? Map.of() : Map.copyOf(agents);
            if (calls < 1) {
                throw new IllegalArgumentException("countersign.identity.rate-limit.calls must be at least 1, not " + calls);
            }
            agents.forEach((agent, limit) -> {
                if (limit == null || limit < 1) {
                    throw new IllegalArgumentException("countersign.identity.rate-limit.agents." + agent + " must be at least 1, not " + limit);
                }
            });
            if (per == null || per.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("countersign.identity.rate-limit.per must be at least 1s, not " + per);
            }
            if (shareEvery == null || shareEvery.isNegative() || shareEvery.isZero()) {
                throw new IllegalArgumentException("countersign.identity.rate-limit.share-every must be positive, not " + shareEvery);
            }
        }

        /** The most calls {@code agentId} may make per {@link #per()}: its own limit, else the default. */
        public int callsOf(String agentId) {
            return agents.getOrDefault(agentId, calls);
        }
    }

    /**
     * Which claims of an agent's token say what it runs as, named by its platform (the runtime that minted the token):
     * {@code model-provider}, {@code model}, {@code model-version}, {@code instructions} (a digest of its system prompt),
     * {@code tools} (of its tool manifest), {@code corpus} (of its retrieval corpus). A claim name may be a dotted path
     * into an object claim ({@code runtime.model}). Unset: the agent's token says nothing of it, and what the ask
     * declares is recorded as declared.
     */
    public record RuntimeClaims(String modelProvider, String model, String modelVersion, String instructions, String tools, String corpus) {

        public static final RuntimeClaims NONE = new RuntimeClaims(null, null, null, null, null, null);

        /** The claim name for each runtime field ({@link AgentRuntime#FIELDS}), the unset ones left out. */
        public java.util.Map<String, String> byField() {
            var byField = new java.util.LinkedHashMap<String, String>();
            java.util.function.BiConsumer<String, String> put = (field, claim) -> {
                if (claim != null && !claim.isBlank()) {
                    byField.put(field, claim);
                }
            };
            put.accept("model.provider", modelProvider);
            put.accept("model.name", model);
            put.accept("model.version", modelVersion);
            put.accept("instructions", instructions);
            put.accept("tools", tools);
            put.accept("corpus", corpus);
            return byField;
        }
    }

    /**
     * SPIFFE JWT-SVIDs accepted beside the issuer's tokens (docs/identity.md): {@code trust-domains}, by trust domain
     * name, where each one's bundle is ({@code bundle}: {@code file:/run/spire/bundle.json} or a bundle endpoint URL,
     * re-read every {@code refresh}); {@code audience}: what an SVID's {@code aud} must name (the API's audience when
     * unset). Agents are registered by their SPIFFE ID as {@code agents[].id}.
     */
    public record Spiffe(Map<String, TrustDomain> trustDomains, String audience) {
        public Spiffe {
            trustDomains = trustDomains == null ? Map.of() : Map.copyOf(trustDomains);
            trustDomains.forEach((name, domain) -> {
                if (domain == null || domain.bundle() == null || domain.bundle().isBlank()) {
                    throw new IllegalArgumentException("countersign.identity.spiffe.trust-domains." + name + ".bundle is required: the "
                            + "trust domain's bundle (file:… or https://…)");
                }
            });
        }
    }

    public record TrustDomain(String bundle, @DefaultValue("5m") Duration refresh) {
        public TrustDomain {
            refresh = refresh == null ? Duration.ofMinutes(5) : refresh;
        }
    }

    /** An approver; {@code secret} is the console password and the built-in issuer's client secret. */
    public record ApproverEntry(String id, String secret, String email, Set<String> groups) {
        public ApproverEntry {
            groups = groups == null ? Set.of() : Set.copyOf(groups);
        }
    }

    /**
     * A metrics scraper (Prometheus): the one thing its token may do is read {@code /actuator/prometheus}. Named by its
     * token's {@code sub}; {@code secret} only for the built-in issuer (Prometheus's {@code oauth2} client credentials).
     */
    public record ScraperEntry(String id, String secret) {
    }

    public record GatewayEntry(String id, String secret) {
    }
}

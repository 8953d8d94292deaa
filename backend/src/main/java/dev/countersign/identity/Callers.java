package dev.countersign.identity;

import dev.countersign.common.ApiProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Turns an authentication into a {@link Caller}. Registration decides the kind, not a claim
 * the token carries: an issuer that lets a workload add a {@code groups} claim must not make
 * that workload an approver.
 */
@Component
public class Callers {

    private final IdentityProperties properties;
    private final Map<String, Caller.Agent> agents;
    private final Map<String, IdentityProperties.ApproverEntry> approvers;
    private final Set<String> gateways;
    private final Set<String> scrapers;
    private final Map<String, IdentityProperties.AgentEntry> agentEntries;
    private final AgentSwitches switches;

    public Callers(IdentityProperties properties, AgentSwitches switches) {
        this.properties = properties;
        this.switches = switches;
        this.agents = properties.agents().stream()
                .map(a -> new Caller.Agent(a.id(), a.owner(), a.tools(), a.enabled()))
                .collect(Collectors.toUnmodifiableMap(Caller.Agent::id, Function.identity()));
        this.approvers = properties.approvers().stream()
                .collect(Collectors.toUnmodifiableMap(IdentityProperties.ApproverEntry::id, Function.identity()));
        this.agentEntries = properties.agents().stream()
                .collect(Collectors.toUnmodifiableMap(IdentityProperties.AgentEntry::id, Function.identity()));
        this.gateways = properties.gateways().stream().map(IdentityProperties.GatewayEntry::id).collect(Collectors.toUnmodifiableSet());
        this.scrapers = properties.scrapers().stream().map(IdentityProperties.ScraperEntry::id).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the token is a configured metrics scraper's ({@code countersign.identity.scrapers}): it may read metrics, nothing else. */
    public boolean isScraper(Jwt jwt) {
        return scrapers.contains(jwt.getSubject());
    }

    /**
     * Whether the token is an admin's (a person in the {@code admin} group). Decided without reading anything for the
     * tokens of agents, gateways and scrapers, so that asking costs an agent's call nothing.
     */
    public boolean isAdmin(Jwt jwt) {
        String subject = jwt.getSubject();
        if (agents.containsKey(subject) || gateways.contains(subject) || scrapers.contains(subject)
                || jwt.hasClaim(DelegationClaims.ACT)) {
            return false;
        }
        return fromToken(jwt).filter(Caller.Approver.class::isInstance).map(caller -> ((Caller.Approver) caller).isAdmin()).orElse(false);
    }

    public Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return from(authentication).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized",
                authentication instanceof JwtAuthenticationToken
                        ? "This token names no registered agent or gateway, and no person: it has no '" + properties.usernameClaim()
                        + "' claim (countersign.identity.username-claim). Ask your issuer to add it to people's tokens"
                        : "Authentication is required"));
    }

    public Optional<Caller> from(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            return fromToken(token.getToken());
        }
        // A console session: only humans sign in there. Its GROUP_ authorities come from configuration (form
        // login) or the provider's groups claim (OIDC, which also carries the e-mail address).
        List<String> groups = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("GROUP_")).map(authority -> authority.substring("GROUP_".length())).toList();
        String email = authentication.getPrincipal() instanceof OAuth2AuthenticatedPrincipal oidc ? oidc.getAttribute("email") : null;
        return Optional.of(approver(authentication.getName(), email, groups).signedInAt(signedInAt(authentication)));
    }

    /**
     * When the person last proved who they are. Through OIDC, the provider's {@code auth_time}: the time of the console's
     * login would not do, since a provider's SSO session signs people in again without asking (none when the provider
     * does not say: step-up rules then want a sign-in with {@code max_age=0}, which makes it say). Otherwise the newest
     * factor of the console sign-in (a password, a passkey), as Spring Security records it.
     */
    private static java.time.Instant signedInAt(Authentication authentication) {
        if (authentication.getPrincipal() instanceof org.springframework.security.oauth2.core.oidc.user.OidcUser oidc) {
            return oidc.getIdToken() == null ? null : oidc.getIdToken().getAuthenticatedAt();
        }
        return factorTime(authentication, factor -> true);
    }

    /** The newest time Spring Security recorded for a sign-in factor of this session that {@code which} accepts, or null. */
    public static java.time.Instant factorTime(Authentication authentication, java.util.function.Predicate<String> which) {
        return authentication.getAuthorities().stream()
                .filter(org.springframework.security.core.authority.FactorGrantedAuthority.class::isInstance)
                .map(org.springframework.security.core.authority.FactorGrantedAuthority.class::cast)
                .filter(factor -> which.test(factor.getAuthority()) && factor.getIssuedAt() != null)
                .map(org.springframework.security.core.authority.FactorGrantedAuthority::getIssuedAt)
                .max(java.util.Comparator.naturalOrder()).orElse(null);
    }

    public Caller.Agent requireAgent() {
        if (current() instanceof Caller.Agent agent) {
            return agent;
        }
        throw ApiProblem.forbidden("Only an agent's token may ask for actions; this token belongs to a human or a gateway");
    }

    public Caller.Approver requireApprover() {
        if (current() instanceof Caller.Approver approver) {
            return approver;
        }
        throw ApiProblem.forbidden("Only a human approver's token may do this; agent and gateway tokens never count as approvers");
    }

    public Caller.Approver requireAdmin() {
        Caller.Approver approver = requireApprover();
        if (!approver.isAdmin()) {
            throw ApiProblem.forbidden("This needs an approver in group 'admin'");
        }
        return approver;
    }

    /** A registered agent as it stands now: enabled only if configured so and no admin has switched it off. */
    public Optional<Caller.Agent> agent(String id) {
        return Optional.ofNullable(agents.get(id)).map(this::withSwitch);
    }

    /**
     * Who owns a registered agent, from configuration alone: the self-approval rule needs only
     * this, so votes do not pay for reading the agent's runtime switch.
     */
    public Optional<String> ownerOf(String agentId) {
        return Optional.ofNullable(agents.get(agentId)).map(Caller.Agent::owner);
    }

    /** The display name configured for an agent ({@code countersign.identity.agents[].name}), from configuration alone. */
    public Optional<String> agentName(String agentId) {
        return properties.agents().stream().filter(a -> a.id().equals(agentId) && a.name() != null && !a.name().isBlank())
                .map(IdentityProperties.AgentEntry::name).findFirst();
    }

    /** Whether {@code id} is a registered agent, from configuration alone (no query). */
    public boolean isAgent(String id) {
        return agents.containsKey(id);
    }

    /** Every registered agent, as it stands now, by id (the runtime switches read in one query). */
    public List<Caller.Agent> agents() {
        Map<String, Boolean> switched = switches.all();
        return agents.values().stream()
                .map(agent -> withSwitch(agent, Optional.ofNullable(switched.get(agent.id()))))
                .sorted(java.util.Comparator.comparing(Caller.Agent::id)).toList();
    }

    /** Whether configuration itself disables this agent (then no admin switch can enable it). */
    public boolean disabledByConfiguration(String agentId) {
        return agents.containsKey(agentId) && !agents.get(agentId).enabled();
    }

    /** An admin can switch an agent off, and on again, but never on when configuration turned it off. */
    private Caller.Agent withSwitch(Caller.Agent configured) {
        return withSwitch(configured, switches.of(configured.id()));
    }

    private static Caller.Agent withSwitch(Caller.Agent configured, Optional<Boolean> switched) {
        boolean enabled = configured.enabled() && switched.orElse(true);
        return enabled == configured.enabled() ? configured
                : new Caller.Agent(configured.id(), configured.owner(), configured.tools(), enabled);
    }

    /** The approver as the directory knows them: configured groups and e-mail, merged with what a token says. */
    public Caller.Approver approver(String id, String email, Collection<String> tokenGroups) {
        var entry = approvers.get(id);
        Set<String> groups = new LinkedHashSet<>(tokenGroups);
        if (entry != null) {
            groups.addAll(entry.groups());
        }
        String mail = email != null ? email : entry != null ? entry.email() : null;
        return new Caller.Approver(id, mail, Set.copyOf(groups));
    }

    /**
     * The approver a request is made on behalf of, however it is spelt: an id, {@code user:<id>} or
     * an e-mail address, with any surrounding space and in any case. Empty when no configured
     * approver answers to it: a subject Countersign cannot recognise could not be kept from
     * approving their own request.
     */
    public Optional<String> approverIdFor(String subject) {
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        String name = subject.strip();
        if (name.regionMatches(true, 0, "user:", 0, 5)) {
            name = name.substring(5).strip();
        }
        String wanted = name;
        return wanted.contains("@") ? approverByEmail(wanted).map(Caller.Approver::id)
                : approvers.keySet().stream().filter(id -> id.equalsIgnoreCase(wanted)).findFirst();
    }

    /** The configured approver with this e-mail address (case-insensitive), as Slack and other channels know people. */
    public Optional<Caller.Approver> approverByEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        return approvers.values().stream()
                .filter(entry -> email.equalsIgnoreCase(entry.email()))
                .findFirst()
                .map(entry -> approver(entry.id(), entry.email(), Set.of()));
    }

    /**
     * The configured approvers who hold any of these principals ({@code user:x}, {@code group:y}),
     * by id. Approvers known only from an external issuer's tokens cannot be listed here.
     */
    public List<Caller.Approver> approversHolding(Collection<String> principals) {
        return approvers.values().stream()
                .map(entry -> approver(entry.id(), entry.email(), Set.of()))
                .filter(approver -> approver.principals().stream().anyMatch(principals::contains))
                .sorted(java.util.Comparator.comparing(Caller.Approver::id))
                .toList();
    }

    /**
     * Agents and gateways by {@code sub}; a person by {@code username-claim}, as the console names them, so that one
     * person's API votes and console votes are one approver's. The built-in issuer's tokens carry no such claim: their
     * {@code sub} is the configured id. A person's token from another issuer without the claim names nobody. A token with
     * {@code act} claims (RFC 8693 delegation) is the agent that acts now, the outermost {@code act}, with its chain.
     */
    public Optional<Caller> fromToken(Jwt jwt) {
        String subject = jwt.getSubject();
        List<String> actors = DelegationClaims.actors(jwt.getClaims().get(DelegationClaims.ACT));
        List<String> narrowed = DelegationClaims.toolScopes(jwt.getClaims().get("scope"));
        if (!actors.isEmpty()) {
            return delegated(rootOf(jwt), actors, narrowed).map(agent -> agent.withRuntime(runtimeIn(jwt, agent.id())));
        }
        if (agents.containsKey(subject)) {
            Caller.Agent agent = withSwitch(agents.get(subject));
            return Optional.of((narrowed.isEmpty() ? agent : new Caller.Agent(agent.id(), agent.owner(), agent.tools(), agent.enabled(),
                    new Delegation(List.of(subject), false, List.of(narrowed), null))).withRuntime(runtimeIn(jwt, subject)));
        }
        if (gateways.contains(subject)) {
            return Optional.of(new Caller.Gateway(subject));
        }
        if (scrapers.contains(subject)) {
            // Reads metrics only (the actuator's own rule): never an agent, a gateway or a person here.
            return Optional.empty();
        }
        if (subject != null && subject.regionMatches(true, 0, "spiffe://", 0, 9)) {
            // A SPIFFE ID names a workload, never a person: an unregistered one is nobody here.
            return Optional.empty();
        }
        String person = personIn(jwt);
        if (person == null || person.isBlank()) {
            return Optional.empty();
        }
        List<String> groups = jwt.hasClaim(properties.groupsClaim()) ? jwt.getClaimAsStringList(properties.groupsClaim()) : List.of();
        java.time.Instant authTime = jwt.hasClaim("auth_time") ? jwt.getClaimAsInstant("auth_time") : jwt.getIssuedAt();
        return Optional.of(approver(person, jwt.getClaimAsString("email"), groups).signedInAt(authTime));
    }

    /**
     * What the agent's token attests it runs as: the claims configured for this agent ({@code runtime-claims}), each a
     * claim name or a dotted path into object claims. Only strings and numbers that an ask could state count
     * ({@link AgentRuntime#acceptable}); anything else says nothing.
     */
    private AgentRuntime runtimeIn(Jwt jwt, String agentId) {
        var entry = agentEntries.get(agentId);
        if (entry == null) {
            return AgentRuntime.NONE;
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        entry.runtimeClaims().byField().forEach((field, claim) -> {
            Object value = claimAt(jwt.getClaims(), claim);
            if (value instanceof String || value instanceof Number) {
                String text = String.valueOf(value).strip();
                // What could not be stated in an ask is not attested either: the claim says nothing then.
                if (AgentRuntime.acceptable(text)) {
                    values.put(field, text);
                }
            }
        });
        return values.isEmpty() ? AgentRuntime.NONE : AgentRuntime.of(values, values.keySet());
    }

    /** The claim at a name, or at a dotted path into object claims when no claim has the whole name. */
    static Object claimAt(Map<String, Object> claims, String name) {
        if (claims.containsKey(name)) {
            return claims.get(name);
        }
        Object at = claims;
        for (String part : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }

    private String personIn(Jwt jwt) {
        return properties.builtInIssuer().enabled() ? jwt.getSubject() : jwt.getClaimAsString(properties.usernameClaim());
    }

    /** The chain's root: a registered agent or gateway by {@code sub}, a person as a person's own token names them. */
    private String rootOf(Jwt jwt) {
        String subject = jwt.getSubject();
        if (agents.containsKey(subject) || gateways.contains(subject)) {
            return subject;
        }
        String person = personIn(jwt);
        return person == null || person.isBlank() ? subject : person;
    }

    /**
     * The agent acting now down a delegation chain: enabled only while every agent of the chain is, and limited to the
     * tools every link has (and the token's {@code tool:} scopes). Empty when the one acting now is no registered agent.
     */
    private Optional<Caller.Agent> delegated(String root, List<String> actorsOutermostFirst, List<String> narrowed) {
        List<String> chain = new ArrayList<>();
        chain.add(root);
        chain.addAll(actorsOutermostFirst.reversed());
        Caller.Agent acting = agents.get(chain.getLast());
        if (acting == null) {
            return Optional.empty();
        }
        boolean rootIsPerson = !agents.containsKey(root);
        List<List<String>> limits = new ArrayList<>();
        chain.subList(0, chain.size() - 1).stream().map(agents::get).filter(Objects::nonNull).forEach(link -> limits.add(link.tools()));
        if (!narrowed.isEmpty()) {
            limits.add(narrowed);
        }
        String refusal = refusalOf(chain).orElse(null);
        var delegation = new Delegation(chain, rootIsPerson, limits, refusal);
        // An unregistered link is the refusal's to report; the switch read covers the registered ones.
        boolean enabled = refusal == null && switchedOff(delegation.agents().stream().filter(agents::containsKey).toList()).isEmpty();
        return Optional.of(new Caller.Agent(acting.id(), acting.owner(), acting.tools(), enabled, delegation));
    }

    /**
     * The first of these agents that may not act now: unregistered, disabled in configuration, or switched off by an
     * admin; empty when every one may. The admins' switches are read in one query, however long the chain.
     */
    public Optional<String> switchedOff(Collection<String> agentIds) {
        Map<String, Boolean> switched = switches.of(agentIds);
        return agentIds.stream()
                .filter(id -> !agents.containsKey(id) || !agents.get(id).enabled() || !switched.getOrDefault(id, true))
                .findFirst();
    }

    /**
     * Why Countersign refuses a delegation chain (root first, ending with the agent that acts), from configuration
     * alone: longer than {@code max-chain}, a link named twice, a gateway at its root, a link after the root that is no
     * registered agent, or an agent handing work to one it does not list in its {@code delegates}.
     */
    public Optional<String> refusalOf(List<String> chain) {
        if (chain.size() > properties.maxChain()) {
            return Optional.of("the delegation chain " + String.join(" → ", chain) + " has " + chain.size()
                    + " links; countersign.identity.max-chain allows " + properties.maxChain());
        }
        if (new java.util.HashSet<>(chain).size() < chain.size()) {
            return Optional.of("the delegation chain " + String.join(" → ", chain) + " names the same party twice");
        }
        if (gateways.contains(chain.getFirst())) {
            return Optional.of("gateway '" + chain.getFirst() + "' cannot hand work to agents");
        }
        for (int i = 1; i < chain.size(); i++) {
            if (!agents.containsKey(chain.get(i))) {
                return Optional.of("'" + chain.get(i) + "' in the delegation chain is not a registered agent");
            }
        }
        for (int i = 0; i < chain.size() - 1; i++) {
            String from = chain.get(i);
            var entry = agentEntries.get(from);
            if (entry != null && !entry.delegates().contains(chain.get(i + 1))) {
                return Optional.of("agent '" + from + "' may not hand work to '" + chain.get(i + 1) + "' (countersign.identity.agents["
                        + from + "].delegates)");
            }
        }
        return Optional.empty();
    }

    /**
     * The registered agents a token names (its subject and every {@code act}), from configuration alone: each of them
     * is counted against its rate limit.
     */
    /** {@link #agentsNamedBy} of this call's token; none for any other kind of sign-in, or none. */
    public List<String> agentsCalling() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token
                ? agentsNamedBy(token.getToken()) : List.of();
    }

    public List<String> agentsNamedBy(Jwt jwt) {
        List<String> named = new ArrayList<>();
        if (agents.containsKey(jwt.getSubject())) {
            named.add(jwt.getSubject());
        }
        DelegationClaims.actors(jwt.getClaims().get(DelegationClaims.ACT)).stream()
                .filter(agents::containsKey).filter(id -> !named.contains(id)).forEach(named::add);
        return named;
    }
}

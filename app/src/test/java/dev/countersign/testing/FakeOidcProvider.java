package dev.countersign.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal OpenID provider on loopback for the console's sign-in: discovery, an authorization
 * endpoint that signs in whoever {@link #signInAs} names (no password page), a token endpoint
 * that checks the client's secret and the code, RS256 ID tokens carrying the nonce, JWKS and
 * userinfo. Enough for Spring Security's authorization code flow to run for real.
 */
public final class FakeOidcProvider implements AutoCloseable {

    public static final String CLIENT_ID = "countersign-console";
    public static final String CLIENT_SECRET = "console-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Who the provider says signed in; {@code authenticatedAt}: when they last proved it at the provider (an SSO session
     * from then on signs them in without asking), null for "just now". An authorization request with {@code max_age=0}
     * or {@code prompt=login} makes them sign in again, now.
     */
    public record Person(String subject, String username, String email, List<String> groups, Instant authenticatedAt) {

        public Person(String subject, String username, String email, List<String> groups) {
            this(subject, username, email, groups, null);
        }
    }

    private record Grant(Person person, String nonce, String redirectUri, Instant authenticatedAt) {
    }

    private final List<Map<String, String>> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The query of each authorization request, in order. */
    public List<Map<String, String>> authorizations() {
        return List.copyOf(authorizations);
    }

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Person> accessTokens = new ConcurrentHashMap<>();
    private volatile Person next;
    private final List<String> logouts = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The ID tokens that RP-initiated logouts presented, one per sign-out. */
    public List<String> logouts() {
        return List.copyOf(logouts);
    }

    public FakeOidcProvider() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("fake-1").generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * An access token for Countersign's API, as a provider issues one to a client or a person: signed with the
     * provider's key, for the audience {@code countersign}, with these claims beside {@code sub}.
     */
    public String apiToken(String subject, Map<String, Object> claims) {
        try {
            var now = Instant.now();
            var builder = new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience("countersign").jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
            claims.forEach(builder::claim);
            var token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), builder.build());
            token.sign(new RSASSASigner(key));
            return token.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public void signInAs(Person person) {
        this.next = person;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, Map.ofEntries(
                        Map.entry("issuer", issuer()),
                        Map.entry("authorization_endpoint", issuer() + "/authorize"),
                        Map.entry("token_endpoint", issuer() + "/token"),
                        Map.entry("jwks_uri", issuer() + "/jwks"),
                        Map.entry("userinfo_endpoint", issuer() + "/userinfo"),
                        Map.entry("response_types_supported", List.of("code")),
                        Map.entry("subject_types_supported", List.of("public")),
                        Map.entry("id_token_signing_alg_values_supported", List.of("RS256")),
                        Map.entry("scopes_supported", List.of("openid", "profile", "email")),
                        Map.entry("token_endpoint_auth_methods_supported", List.of("client_secret_basic")),
                        Map.entry("end_session_endpoint", issuer() + "/logout")));
                case "/authorize" -> authorize(exchange, query);
                case "/token" -> token(exchange, form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                case "/jwks" -> json(exchange, 200, new JWKSet(key.toPublicJWK()).toJSONObject());
                case "/userinfo" -> userinfo(exchange);
                case "/logout" -> {
                    logouts.add(query.getOrDefault("id_token_hint", ""));
                    exchange.getResponseHeaders().set("Location", query.getOrDefault("post_logout_redirect_uri", issuer()));
                    exchange.sendResponseHeaders(302, -1);
                }
                default -> json(exchange, 404, Map.of("error", "not_found"));
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void authorize(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!CLIENT_ID.equals(query.get("client_id")) || next == null) {
            json(exchange, 400, Map.of("error", "invalid_request"));
            return;
        }
        authorizations.add(Map.copyOf(query));
        boolean again = "0".equals(query.get("max_age")) || "login".equals(query.get("prompt"));
        Instant authenticated = again || next.authenticatedAt() == null ? Instant.now() : next.authenticatedAt();
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(next, query.get("nonce"), query.get("redirect_uri"), authenticated));
        String location = query.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            json(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            json(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        Person person = grant.person();
        var now = Instant.now();
        var claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(person.subject()).audience(CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("nonce", grant.nonce())
                .claim("auth_time", grant.authenticatedAt().getEpochSecond())
                .claim("preferred_username", person.username()).claim("email", person.email()).claim("groups", person.groups()).build();
        var idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        idToken.sign(new RSASSASigner(key));
        String accessToken = UUID.randomUUID().toString();
        accessTokens.put(accessToken, person);
        json(exchange, 200, Map.of("access_token", accessToken, "token_type", "Bearer", "expires_in", 300,
                "scope", "openid profile email", "id_token", idToken.serialize()));
    }

    private void userinfo(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        Person person = auth == null ? null : accessTokens.get(auth.replaceFirst("^Bearer ", ""));
        if (person == null) {
            json(exchange, 401, Map.of("error", "invalid_token"));
            return;
        }
        json(exchange, 200, Map.of("sub", person.subject(), "preferred_username", person.username(), "email", person.email(),
                "groups", person.groups()));
    }

    private static Map<String, String> form(String raw) {
        return LoopbackHttp.form(raw);
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        LoopbackHttp.json(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

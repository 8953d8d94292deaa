/**
 * The embedded default's own OAuth2 issuer (Spring Authorization Server): client credentials for
 * every configured agent, approver and gateway at {@code POST /oauth2/token}, signing keys shared
 * by every instance through the database and rotated, revocation. Off in production
 * ({@code countersign.identity.built-in-issuer.enabled=false}), where tokens come from the
 * organisation's issuers; {@code identity} validates tokens whichever issuer made them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Built-in issuer", allowedDependencies = {"common", "identity"})
package dev.countersign.issuer;

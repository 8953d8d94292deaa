/** Single-use, short-lived grants (ES256 JWS bound to one actionHash), their signing keys and JWKS, and redemption. */
@org.springframework.modulith.ApplicationModule(displayName = "Grants", allowedDependencies = {"audit", "common", "identity"})
package dev.countersign.grants;

/**
 * The OpenAPI document as the agent contract (docs/api.md): every operation's request body, required headers, each
 * status and problem code it can answer, the bearer scheme, tags by resource and examples from the README.
 */
@org.springframework.modulith.ApplicationModule(displayName = "API documentation", allowedDependencies = {"common"})
package dev.countersign.apidocs;

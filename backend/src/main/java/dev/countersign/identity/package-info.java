/**
 * Who is calling: agents (workloads), approvers (humans) and tool gateways, the built-in
 * OAuth2 issuer of the embedded default, and the API's token validation.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity", allowedDependencies = {"common"})
package dev.countersign.identity;

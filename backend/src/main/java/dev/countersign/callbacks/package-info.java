/**
 * Signed, retried notifications of a decision to agents that cannot hold a long-poll (workflow
 * engines that resume on a signal), at the callback URLs their configuration lists.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Callbacks", allowedDependencies = {"actions", "audit", "common", "identity"})
package dev.countersign.callbacks;

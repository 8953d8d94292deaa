/**
 * The ActionRequest aggregate and the agent API: asking (with idempotency), waiting
 * (long-poll), cancelling. The request owns its votes: a vote is cast on it under its row lock
 * ({@link dev.countersign.actions.ActionRequests.Locked}) and decides it when its own rule says
 * so. Every decision, whoever makes it, goes through one
 * {@link dev.countersign.actions.ActionRequests#decide}; the rest of Countersign reacts to
 * {@link dev.countersign.actions.ActionRequested} and {@link dev.countersign.actions.ActionDecided}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Actions", allowedDependencies = {"audit", "catalog", "common", "grants", "identity", "policy"})
package dev.countersign.actions;

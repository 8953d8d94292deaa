/**
 * The ActionRequest aggregate and the agent API: asking (with idempotency), waiting
 * (long-poll), cancelling. Every decision, whoever makes it, goes through one
 * {@link dev.countersign.actions.ActionRequests#decide}; the rest of Countersign reacts to
 * {@link dev.countersign.actions.ActionRequested} and {@link dev.countersign.actions.ActionDecided}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Actions")
package dev.countersign.actions;

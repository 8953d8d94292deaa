/**
 * The ActionRequest aggregate and the agent API: asking (with idempotency), waiting
 * (long-poll), cancelling; decisions are made here exactly once, whoever makes them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Actions")
package dev.countersign.actions;

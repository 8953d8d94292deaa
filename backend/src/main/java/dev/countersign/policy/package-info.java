/**
 * What the runtime policy says about an action: allow, deny, or ask which humans, how many,
 * for how long. One small API ({@link dev.countersign.policy.Policy}) so that the rule
 * language can grow (CEL, versions, dry-run) without touching its callers.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Policy", allowedDependencies = {"catalog", "common", "documents"})
package dev.countersign.policy;

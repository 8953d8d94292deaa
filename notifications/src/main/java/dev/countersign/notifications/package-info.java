/**
 * Tells people what needs them: a concise log line per event, and Slack (the {@code slack}
 * package) when configured: Block Kit messages with Approve and Deny buttons, kept true as votes
 * and decisions happen, and the signed interactions that vote through the approvals module.
 * Listens to domain events; votes only through {@link dev.countersign.approvals.Approvals}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications", allowedDependencies = {"actions", "approvals", "common", "identity", "policy"})
package dev.countersign.notifications;

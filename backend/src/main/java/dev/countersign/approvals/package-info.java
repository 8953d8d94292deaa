/**
 * The human side of a decision: who may vote, the self-approval rule, quorum, and the jobs the
 * approval process runs (notify, remind, expire). The console, Slack and the API all vote
 * through {@link dev.countersign.approvals.Approvals}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Approvals")
package dev.countersign.approvals;

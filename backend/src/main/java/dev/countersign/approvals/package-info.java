/**
 * The human side of a decision: who may vote (eligibility, the self-approval rule, one vote each,
 * a switched-off agent's requests closed) and the jobs the approval process runs (notify, remind,
 * expire). The console, Slack and the API all vote through
 * {@link dev.countersign.approvals.Approvals}; the request itself counts the vote and decides.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Approvals", allowedDependencies = {"actions", "audit", "catalog", "common", "identity", "policy", "workflow"})
package dev.countersign.approvals;

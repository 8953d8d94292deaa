package dev.countersign.actions;

/** Published when a vote is counted (it may or may not decide the request), inside the voting transaction. */
public record VoteCast(String requestId, String approver, Vote vote, Channel via) {
}

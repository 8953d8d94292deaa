package dev.countersign.actions;

/** Published when a vote is counted (it may or may not decide the request). */
public record VoteCast(String requestId, String approver, String vote) {
}

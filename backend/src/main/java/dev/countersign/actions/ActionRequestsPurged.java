package dev.countersign.actions;

import java.util.List;

/**
 * Decided requests past {@code countersign.actions.decided-retention} are being deleted, in this
 * transaction. Published synchronously before their rows go: each module deletes its own rows
 * about them (votes, grants, notices, Slack posts, process bookkeeping) in a listener of its own.
 * The audit log keeps its entries about them: it is never purged.
 */
public record ActionRequestsPurged(List<String> requestIds) {
}

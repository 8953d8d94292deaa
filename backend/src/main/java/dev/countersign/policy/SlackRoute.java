package dev.countersign.policy;

/**
 * A rule's {@code slack:} block: the channel that gets the approval message ({@code #name} or a
 * channel id; null for the configured default) and whether each eligible approver also gets a DM.
 */
public record SlackRoute(String channel, boolean dmApprovers) {
}

package dev.countersign.notifications.slack;

/**
 * One message Countersign posts (or posted) for a request. {@code target} is what was asked for
 * ({@code #channel}, a channel id, or {@code dm:<approver>}); {@code channelId}/{@code ts} are what
 * Slack answered, needed to update the message and to reply in its thread.
 */
record SlackPost(String requestId, Kind kind, String target, State state, String channelId, String ts,
                 int wantedVersion, int shownVersion, int attempts, String lastError) {

    /** The approval message, its reminder in the thread, and a DM telling an approver their standing approval ended. */
    enum Kind { APPROVAL, REMINDER, STANDING }

    enum State { PENDING, POSTING, POSTED, FAILED, SKIPPED }

    boolean needsUpdate() {
        return state == State.POSTED && shownVersion < wantedVersion;
    }

    String approverOfDm() {
        return target.startsWith("dm:") ? target.substring(3) : null;
    }
}

package dev.countersign.workflow;

import java.time.Duration;

/** What a process needs to start: ids and durations only; the database holds the request itself. */
public record ProcessStart(String requestId, String processId, Duration timeout, Duration reminderAfter) {

    public static final String GUARDED_ACTION = "guarded-action";
}

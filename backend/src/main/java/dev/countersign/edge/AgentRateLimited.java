package dev.countersign.edge;

import java.time.Duration;

/**
 * An agent went over its call limit: {@code refused} calls were answered {@code 429} on this
 * instance in the window that started at {@code windowStart} (epoch milliseconds). Published
 * once per agent, window and instance, so a flood leaves one audit entry, not one per call.
 */
public record AgentRateLimited(String agentId, int limit, Duration per, long windowStart, long refused) {
}

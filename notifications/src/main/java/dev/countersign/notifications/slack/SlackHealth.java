package dev.countersign.notifications.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code slack} in {@code /actuator/health} (shown to admins): whether Slack is on, and what became of its messages in the
 * last hour. Messages Slack refused, or that ran out of attempts, make it DEGRADED: approvers are not being asked there,
 * though the console still asks them. Never in readiness: Slack being away must not take the API out of service.
 */
@Component("slack")
class SlackHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "messages to Slack failed in the last hour; approvers see them in the console");
    private static final Duration WINDOW = Duration.ofHours(1);

    private final SlackProperties properties;
    private final SlackPosts posts;
    private final Clock clock;

    SlackHealth(SlackProperties properties, SlackPosts posts, Clock clock) {
        this.properties = properties;
        this.posts = posts;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        Instant now = clock.instant();
        SlackPosts.Backlog backlog = posts.backlog(now.minus(WINDOW), now);
        return Health.status(backlog.failed() > 0 ? DEGRADED : Status.UP)
                .withDetail("enabled", true)
                .withDetail("interactions", properties.socketMode() ? "socket mode" : "POST /slack/interactions")
                .withDetail("failedLastHour", backlog.failed())
                .withDetail("due", backlog.waiting())
                .build();
    }
}

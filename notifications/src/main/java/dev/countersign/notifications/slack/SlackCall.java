package dev.countersign.notifications.slack;

import java.time.Duration;

/** How a Web API call ended, in the terms the delivery loop acts on. */
sealed interface SlackCall {

    /** Slack accepted it; {@code channel} and {@code ts} identify the message when the call made one. */
    record Ok(String channel, String ts) implements SlackCall {
    }

    /** Rate limited ({@code 429} with {@code Retry-After}) or a transient failure: try again after {@code after}, or later. */
    record Retry(Duration after, String why) implements SlackCall {
    }

    /** Slack refused for good ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}…): never retried. */
    record Failed(String error) implements SlackCall {
    }
}

package dev.countersign.callbacks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.callbacks}: how decisions are delivered to agents' callback URLs
 * ({@code countersign.identity.agents[].callbacks}).
 *
 * @param poll       how often each instance looks for deliveries that are due
 * @param attempts   how many times one delivery is tried before it is given up (and audited as such)
 * @param firstRetry the wait after the first failure; each next wait is four times the one before, at most an hour
 * @param timeout    how long one attempt may take (connect and answer)
 */
@ConfigurationProperties("countersign.callbacks")
public record CallbacksProperties(@DefaultValue("1s") Duration poll, @DefaultValue("8") int attempts,
                                  @DefaultValue("5s") Duration firstRetry, @DefaultValue("10s") Duration timeout) {

    public CallbacksProperties {
        if (attempts < 1) {
            throw new IllegalArgumentException("countersign.callbacks.attempts must be at least 1, not " + attempts);
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
    public Duration retryAfter(int attempt) {
        Duration wait = firstRetry;
        for (int i = 1; i < attempt && wait.compareTo(Duration.ofHours(1)) < 0; i++) {
            wait = wait.multipliedBy(4);
        }
        return wait.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : wait;
    }
}

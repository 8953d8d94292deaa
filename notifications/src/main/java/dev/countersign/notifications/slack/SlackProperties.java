package dev.countersign.notifications.slack;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.slack.*}. Slack is on when a bot token is set; then either a signing secret
 * (interactions over HTTP at {@code /slack/interactions}) or an app-level token with Socket Mode
 * is needed, or the buttons could never be answered.
 *
 * @param botToken      {@code xoxb-…} (SLACK_BOT_TOKEN)
 * @param signingSecret verifies {@code X-Slack-Signature} (SLACK_SIGNING_SECRET)
 * @param appToken      {@code xapp-…} for Socket Mode (SLACK_APP_TOKEN)
 * @param socketMode    receive interactions over Socket Mode instead of HTTP
 * @param apiUrl        Slack's Web API; only tests point it elsewhere
 * @param consoleUrl    the console's public address, for "Open in console" links
 * @param defaultChannel the channel for rules that name none; without it such rules only DM
 * @param dmApprovers   DM every eligible approver for rules that do not say
 * @param users         approver id → Slack user id, for people whose Slack e-mail differs
 * @param maxAttempts   Web API attempts before a transient failure counts as permanent
 */
@ConfigurationProperties("countersign.slack")
public record SlackProperties(
        String botToken,
        String signingSecret,
        String appToken,
        @DefaultValue("false") boolean socketMode,
        @DefaultValue("https://slack.com/api/") String apiUrl,
        @DefaultValue("http://localhost:8080") String consoleUrl,
        String defaultChannel,
        @DefaultValue("false") boolean dmApprovers,
        Map<String, String> users,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1s") Duration sweepInterval) {

    public SlackProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        apiUrl = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        consoleUrl = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    }

    public boolean enabled() {
        return botToken != null && !botToken.isBlank();
    }

    /** What is missing for Slack to work, or null when nothing is. */
    String misconfiguration() {
        if (!enabled()) {
            return null;
        }
        if (socketMode && (appToken == null || appToken.isBlank())) {
            return "countersign.slack.socket-mode is on but no app-level token is set (SLACK_APP_TOKEN, xapp-…, scope connections:write)";
        }
        if (!socketMode && (signingSecret == null || signingSecret.isBlank())) {
            return "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: Countersign could post to Slack but never trust a button click."
                    + " Set the signing secret (Slack app → Basic Information → Signing Secret), or use Socket Mode";
        }
        return null;
    }
}

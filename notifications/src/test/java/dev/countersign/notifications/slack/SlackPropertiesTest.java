package dev.countersign.notifications.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Half a configuration is refused at start-up: a bot that posts buttons nobody can answer helps no one. */
class SlackPropertiesTest {

    @Test
    void offWithoutABotToken() {
        var off = properties("", null, null, false);
        assertThat(off.enabled()).isFalse();
        assertThat(off.misconfiguration()).isNull();
    }

    @Test
    void aBotTokenNeedsASigningSecretOrSocketModeWithAnAppToken() {
        assertThat(properties("xoxb-1", null, null, false).misconfiguration()).contains("SLACK_SIGNING_SECRET is not");
        assertThat(properties("xoxb-1", null, null, true).misconfiguration()).contains("SLACK_APP_TOKEN");
        assertThat(properties("xoxb-1", "secret", null, false).misconfiguration()).isNull();
        assertThat(properties("xoxb-1", null, "xapp-1", true).misconfiguration()).isNull();
    }

    private static SlackProperties properties(String bot, String secret, String app, boolean socketMode) {
        return new SlackProperties(bot, secret, app, socketMode, "https://slack.com/api", "http://localhost:8080/", null, false, null, 8,
                Duration.ofSeconds(1));
    }
}

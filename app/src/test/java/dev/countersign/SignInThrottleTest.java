package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.MutableClock;
import dev.countersign.testing.MutableClockConfiguration;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Issue 14, finding 6: guessing passwords and client secrets is slowed per account (and per
 * address), for a minute at most, and the console's sign-in cannot be posted from another site.
 */
@EndToEndTest
@Import(MutableClockConfiguration.class)
class SignInThrottleTest extends EndToEndBase {

    @Autowired
    MutableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void guessingAClientSecretIsSlowedAndTheRealOwnerWaitsAMinuteAtMost() {
        for (int i = 0; i < 11; i++) {
            // Each guess after the fifth waits for the block it earned; the clock moves past it.
            clock.advance(Duration.ofSeconds(61));
            assertThat(token("carol", "wrong-" + i).status()).as("guess " + i).isEqualTo(401);
        }
        var immediately = token("carol", "wrong-again");
        assertThat(immediately.status()).isEqualTo(429);
        // Eleven failures: the wait has doubled from 1 s to 32 s (it stops at 60 s).
        var blocked = token("carol", "carol");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.code()).isEqualTo("too_many_requests");
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(20L, 33L);
        assertThat(token("dana", "dana").status()).as("another account from the same address").isEqualTo(200);
        // The same account by another spelling: HTTP Basic client ids are form-encoded (RFC 6749 2.3.1), so %63arol is carol.
        assertThat(token("%63arol", "carol").status()).as("%63arol is carol").isEqualTo(429);
        assertThat(token("%63arol", "wrong").status()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(61));
        assertThat(token("carol", "carol").status()).isEqualTo(200);
        assertThat(token("carol", "wrong-again").status()).as("a success starts the count again").isEqualTo(401);
        assertThat(token("carol", "carol").status()).isEqualTo(200);
    }

    @Test
    void guessingAConsolePasswordIsSlowedToo() {
        for (int i = 0; i < 11; i++) {
            clock.advance(Duration.ofSeconds(61));
            assertThat(signIn("bob", "wrong-" + i, null).header("Location")).as("guess " + i).contains("error");
        }
        assertThat(signIn("bob", "bob", null).status()).isEqualTo(429);
        // The console finds people by name ignoring case and surrounding space: so does the count.
        assertThat(signIn("BOB", "bob", null).status()).as("BOB is bob").isEqualTo(429);
        assertThat(signIn("+Bob+", "bob", null).status()).as("' Bob ' is bob").isEqualTo(429);

        clock.advance(Duration.ofSeconds(61));
        var signedIn = signIn("bob", "bob", null);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).doesNotContain("error");
    }

    /** Real-looking passwords, right and wrong, at both doors: LogSecretsIT then finds neither in any log line. */
    @Test
    void passwordsRightAndWrongSignInOrNot() {
        assertThat(token("pat", "pat-correct-horse-battery").status()).isEqualTo(200);
        assertThat(token("pat", WRONG_PASSWORD).status()).isEqualTo(401);
        var signedIn = signIn("pat", "pat-correct-horse-battery", null);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).doesNotContain("error");
        assertThat(signIn("pat", WRONG_PASSWORD, null).header("Location")).contains("error");
    }

    /** A wrong password someone typed: it must no more be logged than a right one (LogSecretsIT). */
    static final String WRONG_PASSWORD = "pat-wrong-horse-staple";

    @Test
    void theConsoleSignInCannotBePostedFromAnotherSite() {
        var foreign = signIn("alice", "alice", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.raw().headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("JSESSIONID"));

        var own = signIn("alice", "alice", "http://localhost:" + port);
        assertThat(own.status()).isEqualTo(302);
        assertThat(own.header("Location")).doesNotContain("error");
    }

    private Api.Response token(String client, String secret) {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return api.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    private Api.Response signIn(String user, String password, String origin) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return api.send(request);
    }
}

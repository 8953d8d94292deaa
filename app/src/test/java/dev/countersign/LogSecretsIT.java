package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeOidcProvider;
import dev.countersign.testing.FakeSlack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing secret is logged (docs/operations.md, "Logs"): after the whole suite ran (this runs in the integration-test
 * phase, after every test of the test phase), the output it captured, every log line of every application context and
 * process it started, holds no token, no grant, no client secret, no Slack secret and no password (the test approver
 * {@code pat}'s, right and wrong, used by SignInThrottleTest at both doors; the other demo approvers' passwords are their
 * names, rightly logged as names). The secrets looked for are the configured ones long enough to be nothing else, plus
 * anything shaped like a JWS.
 */
class LogSecretsIT {

    private static final Path REPORTS = Path.of("target/surefire-reports");
    /** A compact JWS (access tokens, grants, ID tokens): three base64url parts, the first two JSON objects. */
    private static final Pattern JWS = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}");
    private static final Pattern CONFIGURED_SECRET = Pattern.compile("secret:\\s*\"?([^\\s\",}]{12,})");
    /** The signing secret SlackClicks configures (kept here as a literal: that class is the Slack tests' own). */
    private static final String SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    @Test
    void theSuitesCapturedLogsHoldNoSecret() throws IOException {
        List<Path> outputs;
        try (Stream<Path> files = Files.list(REPORTS)) {
            outputs = files.filter(file -> file.getFileName().toString().endsWith("-output.txt")).sorted().toList();
        }
        // Only meaningful after the suite: its end-to-end tests' output must be here, with the lines they log.
        assertThat(outputs).as("captured outputs of the test phase in " + REPORTS.toAbsolutePath()).hasSizeGreaterThan(50)
                .anyMatch(file -> file.getFileName().toString().equals("dev.countersign.GuardedActionFlowTest-output.txt"));
        assertThat(outputs).anyMatch(file -> read(file).contains("Approval needed: "));

        Set<String> secrets = new TreeSet<>(configuredSecrets(Path.of("src/test/resources/application-test.yaml")));
        secrets.addAll(configuredSecrets(Path.of("src/main/resources/application.yaml")));
        secrets.addAll(List.of(SLACK_SIGNING_SECRET, FakeSlack.BOT_TOKEN, FakeSlack.APP_TOKEN, FakeOidcProvider.CLIENT_SECRET,
                SignInThrottleTest.WRONG_PASSWORD));
        assertThat(secrets).contains("billing-agent-secret", "tool-gateway-secret", "prometheus-secret", SLACK_SIGNING_SECRET,
                "pat-correct-horse-battery");

        List<String> found = new ArrayList<>();
        for (Path output : outputs) {
            List<String> lines = read(output).lines().toList();
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n);
                Matcher jws = JWS.matcher(line);
                if (jws.find()) {
                    found.add(output.getFileName() + ":" + (n + 1) + " a JWS: " + jws.group().substring(0, 20) + "…");
                }
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        found.add(output.getFileName() + ":" + (n + 1) + " the secret " + secret.substring(0, 4) + "…");
                    }
                }
            }
        }
        assertThat(found).as("secrets in the suite's logs").isEmpty();
    }

    private static Set<String> configuredSecrets(Path yaml) {
        Set<String> secrets = new TreeSet<>();
        Matcher secret = CONFIGURED_SECRET.matcher(read(yaml));
        while (secret.find()) {
            secrets.add(secret.group(1));
        }
        return secrets;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.countersign.workflow.internal.camunda;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.api.command.ClientHttpException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an operator reads when the cluster refuses or cannot be reached: which settings to check. */
class CamundaProblemsTest {

    private static final CamundaProperties CLUSTER = new CamundaProperties("https://camunda.example:8080", null, "countersign", "secret",
            "zeebe-api", "https://login.example/token", null, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofMillis(250),
            Duration.ofSeconds(15));

    @Test
    void refusedCredentialsPointAtTheClientSettingsWhereverTheRefusalIsInTheChain() {
        for (int code : new int[] {401, 403}) {
            var refused = new RuntimeException("start failed", new ClientHttpException(code, "Unauthorized"));
            assertThat(CamundaProblems.explain(CLUSTER, refused))
                    .contains("https://camunda.example:8080").contains("HTTP " + code)
                    .contains("countersign.camunda.client-id, client-secret, audience and authorization-server-url");
        }
    }

    @Test
    void anUnreachableClusterNamesTheRootCauseAndTheAddressSetting() {
        var unreachable = new RuntimeException("deploy failed", new IllegalStateException("io", new ConnectException("Connection refused")));
        assertThat(CamundaProblems.explain(CLUSTER, unreachable))
                .contains("could not be reached (ConnectException: Connection refused)")
                .contains("check countersign.camunda.rest-address");
    }

    @Test
    void aServerErrorIsNotTakenForACredentialsProblem() {
        var failing = new ClientHttpException(503, "Service Unavailable");
        assertThat(CamundaProblems.explain(CLUSTER, failing)).contains("could not be reached").doesNotContain("credentials");
    }
}

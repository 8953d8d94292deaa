package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.identity.ConsoleAuthorities;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An admin edits the policy in the console (browserless): the draft is checked as it is typed,
 * its diff and a dry run over the stored requests are shown, and activation puts it in force.
 * The next request names the new version; a pending one keeps the version it was decided under.
 * A context of its own (it changes the policy in force).
 */
@EndToEndTest
@TestPropertySource(properties = "countersign.documents.refresh=1h")
class PolicyVersionsTest extends SpringBrowserlessTest {

    @LocalServerPort
    int port;

    Api api;
    String agent;
    String admin;

    @BeforeEach
    void tokens() {
        api = new Api(port);
        agent = api.token("billing-agent", "billing-agent-secret");
        admin = api.token("admin", "admin");
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void anAdminChecksSimulatesAndActivatesANewPolicyAndOnlyLaterRequestsUseIt() {
        JsonNode pendingLarge = ask("1250.00");
        JsonNode small = ask("500.00");
        String firstVersion = pendingLarge.at("/decision/policyVersion").asString();
        assertThat(small.at("/decision/rule").asString()).isEqualTo("small-payments");

        signInAsAdmin();
        PolicyView view = navigate(PolicyView.class);
        assertThat(view.inForce.getText()).startsWith("Version 1 (recorded as " + firstVersion + ")");
        String inForce = view.editor.getValue();

        // A draft that does not compile is refused as it is typed, with the rule and position.
        view.editor.setValue(inForce.replace("rules:\n", "rules:\n  - name: broken\n    when: amount <\n    effect: allow\n"));
        assertThat(view.status.getText()).isEqualTo("This draft cannot be activated:");
        assertThat(view.problems.getText()).contains("rule 'broken'").contains("does not compile at 1:");
        assertThat(view.activate.isEnabled()).isFalse();

        // Payments from 100 EUR now need two approvals.
        String draft = inForce.replace("amount: { lt: 1000 }", "amount: { lt: 100 }").replace("amount: { gte: 1000 }", "amount: { gte: 100 }");
        assertThat(draft).isNotEqualTo(inForce);
        view.editor.setValue(draft);
        assertThat(view.status.getText()).startsWith("The draft compiles");
        assertThat(view.activate.isEnabled()).isTrue();

        test(view.showChanges).click();
        assertThat(view.output.getText()).contains("-    match: { tool: payments.transfer, amount: { lt: 1000 } }")
                .contains("+    match: { tool: payments.transfer, amount: { lt: 100 } }");

        test(view.simulate).click();
        assertThat(view.output.getText()).contains("would be decided differently")
                .contains("approve (small-payments) → approve (large-payments)").contains(small.get("id").asString())
                .doesNotContain(pendingLarge.get("id").asString());

        test(view.activate).click();
        assertThat(view.comment.isInvalid()).as("a version needs a reason").isTrue();
        view.comment.setValue("Payments from 100 EUR need two approvals (FIN-101)");
        test(view.activate).click();
        assertThat(view.inForce.getText()).startsWith("Version 2 ").contains("activated by admin").contains("FIN-101");
        assertThat(view.versions.getGenericDataView().getItems().map(v -> v.number()).toList()).containsExactly(2, 1);

        JsonNode next = ask("500.00");
        assertThat(next.at("/decision/rule").asString()).isEqualTo("large-payments");
        assertThat(next.at("/approval/quorum").asInt()).isEqualTo(2);
        assertThat(next.at("/decision/policyVersion").asString()).isNotEqualTo(firstVersion);
        JsonNode stillPending = api.get(agent, "/api/v1/actions/" + small.get("id").asString()).body();
        assertThat(stillPending.at("/decision/rule").asString()).isEqualTo("small-payments");
        assertThat(stillPending.at("/decision/policyVersion").asString()).isEqualTo(firstVersion);
        assertThat(stillPending.at("/approval/quorum").asInt()).isEqualTo(1);
    }

    @Test
    void aCatalogVersionThatBreaksThePolicysTestsIsRefused() {
        var inForce = api.get(admin, "/api/v1/catalog").body();
        assertThat(inForce.get("editable").asBoolean()).isTrue();
        String content = inForce.get("content").asString();
        // Without its amount, a transfer no longer lands on large-payments, as the policy's test expects.
        String withoutAmount = content.replace("      amount: args.amount\n", "");
        assertThat(withoutAmount).isNotEqualTo(content);

        var check = api.post(admin, "/api/v1/catalog/check", json(withoutAmount, null));
        assertThat(check.body().get("valid").asBoolean()).isFalse();
        assertThat(check.body().at("/problems/0").asString()).contains("fails 1 of its 1 tests").contains("large-payments");

        var refused = api.post(admin, "/api/v1/catalog/versions", json(withoutAmount, "drop amounts"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("document_invalid");
        assertThat(api.get(admin, "/api/v1/catalog/versions").body()).hasSize(1);

        assertThat(api.post(api.token("alice", "alice"), "/api/v1/catalog/check", json(content, null)).status()).isEqualTo(403);
        var accepted = api.post(admin, "/api/v1/catalog/versions", json(content + "\n# reviewed\n", "a comment line"));
        assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(201);
        assertThat(accepted.body().at("/version/number").asInt()).isEqualTo(2);
        assertThat(api.get(admin, "/api/v1/catalog").body().get("number").asInt()).isEqualTo(2);
    }

    private JsonNode ask(String amount) {
        var response = api.ask(agent, """
                {"tool":"payments.transfer","arguments":{"from":"acct-ops","to":"acct-%s","amount":"%s"}}""".formatted(UUID.randomUUID(), amount));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body();
    }

    private static String json(String content, String comment) {
        var node = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("content", content);
        if (comment != null) {
            node.put("comment", comment);
        }
        return node.toString();
    }

    private void signInAsAdmin() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("admin", null,
                ConsoleAuthorities.of(Set.of("admin")).stream().map(SimpleGrantedAuthority::new).toList()));
    }
}

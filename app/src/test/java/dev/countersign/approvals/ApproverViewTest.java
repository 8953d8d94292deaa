package dev.countersign.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.actions.ActionRequests;
import dev.countersign.actions.Insights;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * What approvers are told and what their votes need, through the API: the fatigue guard in policy ({@code agent.asked},
 * {@code agent.pending}), what is unusual about a request, and step-up (a fresh sign-in) for the riskiest rules.
 */
@EndToEndTest
class ApproverViewTest extends EndToEndBase {

    @Autowired
    JWKSource<SecurityContext> issuerKeys;
    @Autowired
    ActionRequests requests;
    @Autowired
    Insights insights;
    @Autowired
    Approvals approvals;

    @Test
    void policySeesABurstOfAsksAndRefusesTheFourthWhileThreeAwaitPeople() {
        String splitAgent = api.token("split-agent", "split-agent-secret");
        List<String> first = List.of(ask(splitAgent, "payments.burst", "acct-b1", "20.00"), ask(splitAgent, "payments.burst", "acct-b2", "20.00"),
                ask(splitAgent, "payments.burst", "acct-b3", "20.00"));
        assertThat(first).hasSize(3).allSatisfy(id -> assertThat(status(splitAgent, id)).isEqualTo("PENDING"));

        var fourth = api.ask(splitAgent, payment("payments.burst", "acct-b4", "20.00"));

        assertThat(fourth.status()).as(fourth.raw().body()).isEqualTo(201);
        assertThat(fourth.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(fourth.body().at("/decision/rule").asString()).isEqualTo("burst-guard");
        assertThat(fourth.body().at("/decision/reason").asString()).isEqualTo("Too many payments at once");
        // Once people decided the three, the agent is no longer asking in a burst of pending asks: the next one is asked.
        first.forEach(id -> assertThat(api.vote(person("alice"), id, "DENY", "split payment").status()).isEqualTo(200));
        var fifth = api.ask(splitAgent, payment("payments.burst", "acct-b5", "20.00"));
        assertThat(fifth.body().get("status").asString()).as(fifth.raw().body()).isEqualTo("PENDING");
        assertThat(api.vote(person("alice"), fifth.body().get("id").asString(), "DENY", "done").status()).isEqualTo(200);
    }

    @Test
    void approversAreToldAFirstPayeeAnAmountWellAboveUsualAndABurst() {
        String agent = api.token("insight-agent", "insight-agent-secret");
        String tool = "payments.wire";
        String usualPayee = "acct-usual-" + UUID.randomUUID();
        String firstEver = ask(agent, tool, usualPayee, "100.00");
        assertThat(codes(firstEver)).contains("first_tool");
        approveFresh(firstEver);
        for (int i = 0; i < 2; i++) {
            approveFresh(ask(agent, tool, usualPayee, "110.00"));
        }

        String usual = ask(agent, tool, usualPayee, "120.00");
        String newPayee = ask(agent, tool, "acct-new-" + UUID.randomUUID(), "120.00");
        String large = ask(agent, tool, usualPayee, "5000.00");

        assertThat(codes(usual)).doesNotContain("first_tool", "first_payee", "amount_above_usual");
        assertThat(codes(newPayee)).contains("first_payee").doesNotContain("first_tool", "amount_above_usual");
        assertThat(codes(large)).contains("amount_above_usual");
        assertThat(text(large, "amount_above_usual")).contains("5,000.00 EUR").contains("median of 110.00 EUR");
        // Six asks of one tool within the window (three approved, three pending): a burst, said on each of them.
        assertThat(codes(large)).contains("burst");
        assertThat(text(large, "burst")).startsWith("6 asks for payments.wire by insight-agent within 10 min");
        // The last approved one like it, for the console's diff.
        var last = insights.lastApproved(requests.find(large).orElseThrow()).orElseThrow();
        assertThat(last.status().name()).isEqualTo("APPROVED");
        assertThat(last.arguments()).containsEntry("amount", "110.00");
        // The brief carries the catalog's words and the rule's step-up.
        var brief = approvals.brief(requests.find(large).orElseThrow());
        assertThat(brief.description()).isEqualTo("Wires money abroad; it cannot be called back.");
        assertThat(brief.stepUp()).hasMinutes(5);
        assertThat(brief.marks(requests.find(large).orElseThrow())).contains("PROD", "amount above usual", "step-up");
        List.of(usual, newPayee, large).forEach(id -> api.vote(person("alice"), id, "DENY", "cleaning up"));
    }

    @Test
    void aStepUpRuleCountsAnApprovalOnlyFromARecentSignIn() {
        String agent = api.token("payout-agent", "payout-agent-secret");
        String id = ask(agent, "payments.wire", "acct-" + UUID.randomUUID(), "900.00");

        var stale = api.vote(tokenSignedIn("alice", Instant.now().minusSeconds(600)), id, "APPROVE", null);

        assertThat(stale.status()).as(stale.raw().body()).isEqualTo(403);
        assertThat(stale.code()).isEqualTo("step_up_required");
        assertThat(stale.body().get("maxAge").asString()).isEqualTo("PT5M");
        assertThat(stale.body().get("detail").asString()).contains("within 5 min of signing in").contains("you signed in 10 min ago")
                .contains("sign in again");
        assertThat(status(agent, id)).isEqualTo("PENDING");

        // auth_time, where the token has it, is when the person signed in; a token refreshed since then is no fresher.
        var refreshed = api.vote(tokenSignedIn("alice", Instant.now().minusSeconds(900), Instant.now()), id, "APPROVE", null);
        assertThat(refreshed.code()).as(refreshed.raw().body()).isEqualTo("step_up_required");

        var fresh = api.vote(person("alice"), id, "APPROVE", null);
        assertThat(fresh.status()).as(fresh.raw().body()).isEqualTo(200);
        assertThat(fresh.body().get("status").asString()).isEqualTo("APPROVED");
    }

    @Test
    void aDenialNeedsNoStepUp() {
        String agent = api.token("payout-agent", "payout-agent-secret");
        String id = ask(agent, "payments.wire", "acct-" + UUID.randomUUID(), "900.00");

        var denied = api.vote(tokenSignedIn("bob", Instant.now().minusSeconds(3600)), id, "DENY", "Not this payee");

        assertThat(denied.status()).as(denied.raw().body()).isEqualTo(200);
        assertThat(denied.body().get("status").asString()).isEqualTo("DENIED");
    }

    private void approveFresh(String id) {
        var vote = api.vote(person("alice"), id, "APPROVE", null);
        assertThat(vote.status()).as(vote.raw().body()).isEqualTo(200);
    }

    /** A token of the built-in issuer for a person, issued {@code issuedAt}; with {@code authTime} when given. */
    private String tokenSignedIn(String person, Instant issuedAt, Instant... reissued) {
        var claims = JwtClaimsSet.builder().issuer("http://localhost:8080").subject(person).audience(List.of("countersign"))
                .issuedAt(reissued.length == 0 ? issuedAt : reissued[0]).expiresAt(Instant.now().plusSeconds(300));
        if (reissued.length > 0) {
            claims.claim("auth_time", issuedAt.getEpochSecond());
        }
        return new NimbusJwtEncoder(issuerKeys).encode(JwtEncoderParameters.from(claims.build())).getTokenValue();
    }

    private List<String> codes(String id) {
        return insights.unusual(requests.find(id).orElseThrow()).stream().map(Insights.Unusual::code).toList();
    }

    private String text(String id, String code) {
        return insights.unusual(requests.find(id).orElseThrow()).stream().filter(u -> u.code().equals(code)).findFirst().orElseThrow().text();
    }

    private String ask(String token, String tool, String payee, String amount) {
        var response = api.ask(token, payment(tool, payee, amount));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asString();
    }

    private String status(String token, String id) {
        return api.get(token, "/api/v1/actions/" + id).body().get("status").asString();
    }

    private static String payment(String tool, String payee, String amount) {
        return "{\"tool\":\"" + tool + "\",\"arguments\":{\"to\":\"" + payee + "\",\"amount\":\"" + amount + "\",\"memo\":\""
                + UUID.randomUUID() + "\"}}";
    }
}

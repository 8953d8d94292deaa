package dev.countersign.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.textfield.TextArea;
import dev.countersign.Api;
import dev.countersign.EndToEndTest;
import dev.countersign.identity.ConsoleAuthorities;
import dev.countersign.identity.IdentityProperties;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Each console view's rules without a browser (Vaadin's browserless testing, real Spring context):
 * who sees what, buttons disabled with their reason, the comment a denial needs, filters, paging,
 * and admin views refused to everyone else.
 */
@EndToEndTest
class ConsoleViewsTest extends SpringBrowserlessTest {

    @LocalServerPort
    int port;
    @Autowired
    IdentityProperties identity;
    @Autowired
    dev.countersign.audit.AuditLog auditLog;

    Api api;
    String billingAgent;
    String opsAgent;

    @BeforeEach
    void agents() {
        api = new Api(port);
        billingAgent = api.token("billing-agent", "billing-agent-secret");
        opsAgent = api.token("ops-agent", "ops-agent-secret");
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theInboxShowsWhatTheApproverMayVoteOnAndFiltersIt() {
        String payment = ask(billingAgent, transfer("InboxView"));
        String infra = ask(opsAgent, "{\"tool\":\"infra.scale\",\"category\":\"CHANGE_INFRASTRUCTURE\",\"environment\":\"prod\",\"arguments\":{\"cluster\":\"prod-eu\",\"n\":3}}");
        signIn("alice");

        InboxView inbox = navigate(InboxView.class);

        assertThat(ids(inbox)).contains(payment).doesNotContain(infra);
        inbox.tool.setValue("payments.transfer");
        assertThat(ids(inbox)).contains(payment);
        assertThat(inbox.grid.getGenericDataView().getItems()).allMatch(r -> r.tool().equals("payments.transfer"));
        inbox.agent.setValue("billing-agent");
        inbox.category.setValue("SPEND_MONEY");
        assertThat(ids(inbox)).contains(payment);
        inbox.environment.setValue(null);
        inbox.tool.setValue(null);
        signIn("carol");
        InboxView carols = navigate(InboxView.class);
        assertThat(ids(carols)).contains(infra).doesNotContain(payment);
    }

    @Test
    void onAPhoneEachRequestIsOneCardShowingTheAmountItsArgumentsMove() {
        // Nothing declared: the approver sees what the catalog derived from the arguments that will run. An agent that asks
        // nothing else in this class, so the request is a row of its own (look-alike asks of one agent are grouped).
        String payee = "acct-" + UUID.randomUUID();
        String id = ask(api.token("payout-agent", "payout-agent-secret"), "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\""
                + payee + "\",\"amount\":\"9000000.00\"}}");
        signIn("alice");
        InboxView inbox = navigate(InboxView.class);

        inbox.fitTo(390);

        assertThat(inbox.grid.getColumns().stream().filter(column -> column.isVisible()).toList()).containsExactly(inbox.card);
        var request = inbox.grid.getGenericDataView().getItems().filter(r -> r.contains(id)).findFirst().orElseThrow();
        assertThat(request.isGroup()).isFalse();
        String card = inbox.card(request).getChildren().map(line -> line.getElement().getText()).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(card).contains("payments.transfer · 9,000,000.00 EUR to " + payee + " from acct-ops, in prod").contains("⚠ PROD")
                .contains("payout-agent").contains("0 of 2 approvals").contains("asked ").contains("expires in");

        inbox.fitTo(1280);
        assertThat(inbox.card.isVisible()).isFalse();
        assertThat(inbox.grid.getColumns().stream().filter(column -> column.isVisible()).count()).isEqualTo(7);
    }

    @Test
    void anEmptyInboxSaysWhatToExpect() {
        signIn("approver-49"); // group bulk: nothing in this test class asks them
        InboxView inbox = navigate(InboxView.class);
        assertThat(inbox.empty.isVisible()).isTrue();
        assertThat(inbox.empty.getText()).startsWith("Nothing awaits you");
        assertThat(inbox.grid.isVisible()).isFalse();
    }

    @Test
    void votingIsDisabledWithTheReasonForTheSubjectAndHiddenFromOutsiders() {
        String id = ask(billingAgent, transfer("subject"));

        signIn("dana"); // owns billing-agent
        RequestView asSubject = navigate(RequestView.class, id);
        assertThat(asSubject.approve.isEnabled()).isFalse();
        assertThat(asSubject.deny.isEnabled()).isFalse();
        assertThat(asSubject.cannotVote.getText()).contains("You are the subject of this request");

        signIn("admin"); // may look, is not among the approvers
        RequestView asAdmin = navigate(RequestView.class, id);
        assertThat(asAdmin.approve.isEnabled()).isFalse();
        assertThat(asAdmin.cannotVote.getText()).contains("not among this request's approvers");

        signIn("carol"); // platform: neither approver nor admin
        RequestView asOutsider = navigate(RequestView.class, id);
        assertThat(asOutsider.approve.isVisible()).isFalse();
        assertThat(find(com.vaadin.flow.component.html.H1.class).all()).anyMatch(h -> h.getText().equals("Not found"));
    }

    @Test
    void theRequestPageSaysWhatWillHappenWhatIsUnusualAndWhatChangedSinceTheLastApproval() {
        String agent = api.token("ops-agent", "ops-agent-secret");
        String cluster = "prod-" + UUID.randomUUID().toString().substring(0, 8);
        String first = ask(agent, "{\"tool\":\"infra.scale\",\"arguments\":{\"cluster\":\"" + cluster + "\",\"n\":3}}");
        assertThat(api.vote(api.token("carol", "carol"), first, "APPROVE", null).status()).isEqualTo(200);
        String id = ask(agent, "{\"tool\":\"infra.scale\",\"justification\":\"Traffic peak\",\"arguments\":{\"cluster\":\"" + cluster + "\",\"n\":30}}");
        signIn("carol");

        RequestView view = navigate(RequestView.class, id);

        assertThat(find(com.vaadin.flow.component.html.H1.class).single().getText()).isEqualTo("infra.scale");
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withId("what").single().getText())
                .isEqualTo("On " + cluster + ", in prod · data INTERNAL");
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withId("description").single().getText())
                .isEqualTo("Changes infrastructure (restarts, scaling, configuration) in a cluster.");
        assertThat(find(com.vaadin.flow.component.html.Span.class).withId("prod").single().getText()).isEqualTo("PRODUCTION");
        assertThat(fact("Justification (the agent's words)")).isEqualTo("Traffic peak");
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withId("why").single().getText()).isEqualTo("The agent says: “Traffic peak”");
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withId("who").single().getText()).isEqualTo("Asked by ops-agent (owner erin)");
        // Only the count changed since the approved one: the diff says exactly that.
        String diff = find(Pre.class).withId("arguments-diff").single().getText();
        assertThat(diff).contains("-  \"n\" : 3").contains("+  \"n\" : 30").contains(first);
        assertThat(view.approve.isEnabled()).isTrue();
        view.comment.setValue("cleaning up");
        test(view.deny).click();
    }

    @Test
    void aStepUpRuleWantsAFreshSignInToApproveButNotToDeny() {
        String agent = api.token("payout-agent", "payout-agent-secret");
        String id = ask(agent, "{\"tool\":\"payments.wire\",\"arguments\":{\"to\":\"acct-" + UUID.randomUUID() + "\",\"amount\":\"700.00\"}}");
        signIn("alice", java.time.Instant.now().minus(java.time.Duration.ofMinutes(20)));

        RequestView stale = navigate(RequestView.class, id);

        assertThat(stale.approve.isEnabled()).isFalse();
        assertThat(stale.deny.isEnabled()).isTrue();
        assertThat(stale.signInAgain.isVisible()).isTrue();
        assertThat(stale.stepUpNotice.getText()).contains("Rule wires-step-up counts an approval only within 5 min of signing in")
                .contains("you signed in 20 min ago").contains("Sign in again to approve");

        signIn("alice", java.time.Instant.now());
        RequestView fresh = navigate(RequestView.class, id);
        assertThat(fresh.stepUpNotice.getText()).doesNotContain("Sign in again to approve");
        assertThat(fresh.approve.isEnabled()).isTrue();
        test(fresh.approve).click();
        assertThat(status(id)).isEqualTo("APPROVED");
    }

    @Test
    void lookAlikeAsksAreOneRowWithCountAndTotalDeniedWithOneCommentOneVoteEach() {
        String agent = api.token("split-agent", "split-agent-secret");
        List<String> ids = IntStream.range(0, 4).mapToObj(i -> ask(agent, split("acct-g" + i + "-" + UUID.randomUUID(), "30.00"))).toList();
        signIn("alice");
        InboxView inbox = navigate(InboxView.class);

        var groups = inbox.grid.getGenericDataView().getItems().filter(row -> row.contains(ids.getFirst())).toList();
        assertThat(groups).hasSize(1);
        var group = groups.getFirst();
        assertThat(group.requests()).extracting(r -> r.id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(group.summary(java.time.Instant.now())).startsWith("4 × payments.split, 120.00 EUR to 4 payees, in the last ");
        assertThat(InboxView.marks(group)).contains("PROD", "burst");

        inbox.open(group);
        roundTrip();
        var dialog = inbox.opened;
        assertThat(dialog.approveAll.isVisible()).as("split-payments allows approving together").isTrue();
        assertThat(dialog.approveAll.getText()).isEqualTo("Approve all 4 requests (120.00 EUR)");
        test(dialog.denyAll).click();
        assertThat(dialog.comment.isInvalid()).isTrue();
        assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("PENDING"));

        dialog.comment.setValue("One payment split in four: ask for it whole");
        test(dialog.denyAll).click();

        assertThat(dialog.outcome.getText()).isEqualTo("Denied 4 of 4.");
        for (String id : ids) {
            var decided = api.get(api.token("admin", "admin"), "/api/v1/approvals/" + id).body();
            assertThat(decided.get("status").asString()).isEqualTo("DENIED");
            assertThat(decided.at("/decision/votes").size()).isEqualTo(1);
            assertThat(decided.at("/decision/votes/0/comment").asString()).isEqualTo("One payment split in four: ask for it whole");
        }
    }

    @Test
    void aGroupIsApprovedTogetherOnlyAfterItsCountAndTotalAreConfirmed() {
        String agent = api.token("split-agent", "split-agent-secret");
        List<String> ids = IntStream.range(0, 3).mapToObj(i -> ask(agent, split("acct-a" + i + "-" + UUID.randomUUID(), "10.50"))).toList();
        signIn("bob");
        InboxView inbox = navigate(InboxView.class);
        var group = inbox.grid.getGenericDataView().getItems().filter(row -> row.contains(ids.getFirst())).findFirst().orElseThrow();
        assertThat(group.requests()).hasSize(3);
        inbox.open(group);
        roundTrip();
        var dialog = inbox.opened;
        dialog.comment.setValue("Three refunds agreed with the customer");

        test(dialog.approveAll).click();
        var confirm = find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).withId("confirm-group").single();
        assertThat(test(confirm).getHeader()).isEqualTo("Approve 3 requests (31.50 EUR)?");
        assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("PENDING"));
        test(confirm).confirm();

        assertThat(dialog.outcome.getText()).isEqualTo("Approved 3 of 3.");
        assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("APPROVED"));
    }

    @Test
    void denyNeedsACommentAndAVoteDisablesFurtherVoting() {
        String id = ask(billingAgent, transfer("deny"));
        signIn("alice");
        RequestView view = navigate(RequestView.class, id);

        test(view.deny).click();
        assertThat(view.comment.isInvalid()).isTrue();
        assertThat(view.comment.getErrorMessage()).contains("Say why you deny it");
        assertThat(status(id)).isEqualTo("PENDING");

        view.comment.setValue("Not in this quarter's budget");
        test(view.deny).click();
        assertThat(status(id)).isEqualTo("DENIED");
        assertThat(view.approve.isEnabled()).isFalse();
        assertThat(view.cannotVote.getText()).contains("You have already voted");
    }

    @Test
    void aStandingApprovalIsGivenFromTheRequestAndRevokedFromItsList() {
        String standingAgent = api.token("standing-agent", "standing-agent-secret");
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        String payment = "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"" + account + "\",\"to\":\"acct-%s\",\"amount\":\"40.00\"}}";
        String id = ask(standingAgent, payment.formatted(UUID.randomUUID()));
        signIn("alice");
        RequestView view = navigate(RequestView.class, id);
        assertThat(view.standing.isVisible()).as("small-payments allows standing approvals").isTrue();
        test(view.standing).click();
        view.standingUses.setValue(3);
        view.standingFor.setValue("2h");
        test(view.approve).click();
        var approved = api.get(api.token("admin", "admin"), "/api/v1/approvals/" + id).body();
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        String given = approved.at("/decision/standingApproval").asString();
        assertThat(given).startsWith("sa_");
        var next = api.ask(standingAgent, payment.formatted(UUID.randomUUID())).body();
        assertThat(next.at("/decision/by").asString()).isEqualTo("STANDING_APPROVAL");

        signIn("bob");
        StandingApprovalsView list = navigate(StandingApprovalsView.class);
        List<String> ids = list.grid.getGenericDataView().getItems().map(s -> s.id()).toList();
        assertThat(ids).contains(given);
        var row = list.grid.getGenericDataView().getItems().filter(s -> s.id().equals(given)).findFirst().orElseThrow();
        assertThat(row.uses()).isEqualTo(3);
        assertThat(row.used()).isEqualTo(1);
        test((com.vaadin.flow.component.button.Button) test(list.grid).getCellComponent(ids.indexOf(given), 5)).click();
        assertThat(list.grid.getGenericDataView().getItems().map(s -> s.id()).toList()).doesNotContain(given);
        assertThat(api.ask(standingAgent, payment.formatted(UUID.randomUUID())).body().get("status").asString()).isEqualTo("PENDING");
    }

    @Test
    void anApprovedRequestSaysWhetherItRan() {
        String id = ask(billingAgent, transfer("outcome"));
        api.vote(api.token("alice", "alice"), id, "APPROVE", null);
        signIn("alice");
        navigate(RequestView.class, id);
        assertThat(fact("Outcome")).startsWith("Approved → not run yet (its grant holds until");

        var approved = api.get(billingAgent, "/api/v1/actions/" + id).body();
        assertThat(api.redeem(api.token("tool-gateway", "tool-gateway-secret"), approved.at("/grant/token").asString(),
                approved.get("actionHash").asString()).status()).isEqualTo(200);
        navigate(RequestView.class, id);
        assertThat(fact("Outcome")).startsWith("Approved → run at").endsWith("(its grant was redeemed by tool-gateway)");

        // The agent means to run it once more ("repeat": true): a new request, which approvers see is a repeat of a run.
        String body = api.get(billingAgent, "/api/v1/actions/" + id).body().get("arguments").toString();
        var repeat = api.ask(billingAgent, "{\"tool\":\"payments.transfer\",\"category\":\"SPEND_MONEY\",\"amount\":"
                + approved.get("amount") + ",\"repeat\":true,\"arguments\":" + body + "}");
        assertThat(repeat.status()).as(repeat.raw().body()).isEqualTo(201);
        navigate(RequestView.class, repeat.body().get("id").asString());
        assertThat(find(com.vaadin.flow.component.html.Div.class).withId("repeat-of-run").single().getText())
                .startsWith("A repeat: this exact action was already approved and run (run at").endsWith("Approving runs it once more.");
    }

    @Test
    void approversSeeTheDelegationChainAndTheRuntimeThatAsked() {
        String orchestrator = api.token("orchestrator", "orchestrator-secret");
        String form = "grant_type=" + java.net.URLEncoder.encode("urn:ietf:params:oauth:grant-type:token-exchange", java.nio.charset.StandardCharsets.UTF_8)
                + "&subject_token=" + orchestrator + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
                + "&actor_token=" + billingAgent + "&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token";
        var exchanged = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("billing-agent:billing-agent-secret".getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)));
        assertThat(exchanged.status()).as(exchanged.raw().body()).isEqualTo(200);
        String id = ask(exchanged.body().get("access_token").asString(), "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\","
                + "\"to\":\"acct-" + UUID.randomUUID() + "\",\"amount\":\"40.00\"},\"runtime\":{\"model\":{\"provider\":\"example-ai\","
                + "\"name\":\"example-model-2\"},\"instructions\":\"sha256:" + "ab".repeat(32) + "\"}}");
        signIn("alice");
        navigate(RequestView.class, id);
        assertThat(fact("Delegated by")).isEqualTo("orchestrator → billing-agent (started by agent orchestrator)");
        assertThat(fact("Runtime")).isEqualTo("example-ai example-model-2 · instructions sha256:abababababab… (as the agent states it)");
        assertThat(fact("Runtime changed since its last approved request")).isEqualTo("no earlier approved request to compare with");
    }

    private String fact(String term) {
        var terms = find(com.vaadin.flow.component.html.DescriptionList.Term.class).all();
        var descriptions = find(com.vaadin.flow.component.html.DescriptionList.Description.class).all();
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).getText().equals(term)) {
                return descriptions.get(i).getText();
            }
        }
        throw new AssertionError("no fact " + term + " among " + terms.stream().map(t -> t.getText()).toList());
    }

    @Test
    void hostileArgumentsAreTextAndAnEarlierDenialIsWarnedAbout() {
        String hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        String body = "{\"tool\":\"payments.transfer\",\"amount\":{\"value\":\"12.00\",\"currency\":\"EUR\"},\"justification\":\"" + hostile
                .replace("\"", "\\\"") + "\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"12.00\",\"memo\":\"" + hostile + "\"}}";
        String first = ask(billingAgent, body);
        signIn("bob");
        RequestView view = navigate(RequestView.class, first);
        assertThat(find(Pre.class).all()).anyMatch(pre -> pre.getText().contains("\"memo\" : \"" + hostile + "\""));
        assertThat(find(Html.class).all()).isEmpty();

        view.comment.setValue("No");
        test(view.deny).click();
        // The same action again is refused by the cooldown; its page warns of the denial it repeats.
        var again = api.ask(billingAgent, body);
        assertThat(again.body().at("/decision/reasonCode").asString()).isEqualTo("recently_denied");
        signIn("admin"); // decided by policy at once, it has no approvers: admins see it
        navigate(RequestView.class, again.body().get("id").asString());
        assertThat(find(com.vaadin.flow.component.html.Div.class).withId("recent-denial").single().getText())
                .startsWith("This exact action was denied").contains("Denied by bob: No");
    }

    @Test
    void historySearchesInTheDatabaseAndPagesByCursor() {
        String tool = "payments.hist-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, HistoryView.PAGE + 1)
                .mapToObj(i -> ask(billingAgent, "{\"tool\":\"" + tool + "\",\"arguments\":{\"i\":" + i + "}}")).toList();
        signIn("admin");
        HistoryView history = navigate(HistoryView.class);

        history.search.setValue(tool);
        assertThat(history.grid.getGenericDataView().getItems().count()).isEqualTo(HistoryView.PAGE);
        assertThat(history.more.isVisible()).isTrue();
        test(history.more).click();
        assertThat(history.grid.getGenericDataView().getItems().map(r -> r.id()).toList()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(history.more.isVisible()).isFalse();

        history.search.setValue(ids.getFirst());
        assertThat(history.grid.getGenericDataView().getItems().map(r -> r.id()).toList()).containsExactly(ids.getFirst());
        history.search.setValue("no-such-thing-" + UUID.randomUUID());
        assertThat(history.empty.isVisible()).isTrue();
    }

    @Test
    void adminViewsAreRefusedToApprovers() {
        signIn("alice");
        navigate(InboxView.class);
        for (var view : List.of(AgentsView.class, PolicyView.class, AuditView.class)) {
            try {
                navigate(view);
            } catch (IllegalArgumentException | IllegalStateException refused) {
                // navigate() complains that it did not land on the view: the access check rerouted it
            }
            assertThat(getCurrentView()).as(view.getSimpleName()).isInstanceOf(NotFoundView.class);
        }
    }

    @Test
    void anAdminDisablesAnAgentAndItsNextCallIsRefused() {
        String pending = ask(opsAgent, "{\"tool\":\"infra.restart\",\"arguments\":{\"cluster\":\"prod-eu\",\"svc\":\"" + UUID.randomUUID() + "\"}}");
        var allowed = api.ask(opsAgent, "{\"tool\":\"docs.read\",\"arguments\":{\"doc\":\"" + UUID.randomUUID() + "\"}}").body();
        String grant = allowed.at("/grant/token").asString();
        signIn("admin");
        AgentsView agents = navigate(AgentsView.class);
        Button toggle = agentSwitch(agents);
        assertThat(toggle.getText()).isEqualTo("Disable");

        test(toggle).click();
        try {
            assertThat(agentSwitch(agents).getText()).isEqualTo("Enable");
            // The switch and its audit entry commit together; the entry names the admin.
            var switchedOff = auditLog.newest(Long.MAX_VALUE, 50).stream().filter(entry -> entry.type().equals("agent.disabled")).toList();
            assertThat(switchedOff).as("agent.disabled entries").isNotEmpty();
            assertThat(switchedOff.getFirst().actor()).isEqualTo("admin");
            assertThat(switchedOff.getFirst().data()).contains("ops-agent");
            // What the agent was about to be allowed ends with it: its pending request, its unredeemed grant.
            var cancelled = api.get(api.token("admin", "admin"), "/api/v1/approvals/" + pending).body();
            assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(cancelled.at("/decision/by").asString()).isEqualTo("ADMIN");
            assertThat(cancelled.at("/decision/reasonCode").asString()).isEqualTo("agent_disabled");
            var redeem = api.redeem(api.token("tool-gateway", "tool-gateway-secret"), grant, allowed.get("actionHash").asString());
            assertThat(redeem.status()).isEqualTo(422);
            assertThat(redeem.raw().body()).contains("grant_invalid").contains("switched off");
            assertThat(api.vote(api.token("carol", "carol"), pending, "APPROVE", null).code()).isEqualTo("not_pending");
            var refused = api.ask(opsAgent, "{\"tool\":\"infra.restart\",\"arguments\":{\"cluster\":\"dev-1\",\"svc\":\"" + UUID.randomUUID() + "\"}}");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.raw().body()).contains("Agent 'ops-agent' is disabled; an admin can enable it again");
        } finally {
            test(agentSwitch(agents)).click();
        }
        assertThat(api.ask(opsAgent, "{\"tool\":\"infra.restart\",\"arguments\":{\"cluster\":\"dev-1\",\"svc\":\"" + UUID.randomUUID() + "\"}}").status())
                .isEqualTo(201);
        assertThat(agents.grid.getGenericDataView().getItems()).anyMatch(a -> a.id().equals("ops-agent") && a.enabled());
        // Switching it on again does not bring its old grant back: it was revoked.
        var again = api.redeem(api.token("tool-gateway", "tool-gateway-secret"), grant, allowed.get("actionHash").asString());
        assertThat(again.raw().body()).contains("grant_invalid").contains("revoked");
    }

    @Test
    void anAdminReadsThePolicyAndChecksTheAuditChain() {
        signIn("admin");
        navigate(PolicyView.class);
        assertThat(find(TextArea.class).withId("policy-source").single().getValue()).contains("large-payments");

        String approved = ask(billingAgent, transfer("load"));
        assertThat(api.vote(api.token("alice", "alice"), approved, "APPROVE", null).status()).isEqualTo(200);
        ApproversView load = navigate(ApproversView.class);
        assertThat(load.grid.getGenericDataView().getItems().map(ApproversView.Load::approver).toList())
                .as("approvers who approved in the last day").contains("alice");
        assertThat(load.grid.getGenericDataView().getItems().filter(l -> l.approver().equals("alice")).findFirst().orElseThrow().today())
                .isPositive();

        AuditView audit = navigate(AuditView.class);
        assertThat(audit.grid.getGenericDataView().getItems().count()).isPositive();
        test(find(Button.class).withText("Verify the chain").single()).click();
        assertThat(audit.verification.getText()).startsWith("The chain holds");
    }

    /** The Disable/Enable button in ops-agent's row (agents are listed by id). */
    private Button agentSwitch(AgentsView agents) {
        List<String> ids = agents.grid.getGenericDataView().getItems().map(agent -> agent.id()).toList();
        assertThat(ids).contains("ops-agent").isSorted();
        return (Button) test(agents.grid).getCellComponent(ids.indexOf("ops-agent"), 4);
    }

    /** Signs in and leaves the current view: Vaadin reuses a view when navigating to its own route, and views read the user once. */
    private void signIn(String approver) {
        if (getCurrentView() != null && !(getCurrentView() instanceof PolicyView)) {
            SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("admin", null,
                    ConsoleAuthorities.of(java.util.Set.of("admin")).stream().map(SimpleGrantedAuthority::new).toList()));
            navigate(PolicyView.class);
        }
        var groups = identity.approvers().stream().filter(a -> a.id().equals(approver)).findFirst().orElseThrow().groups();
        var authorities = ConsoleAuthorities.of(groups).stream().map(SimpleGrantedAuthority::new).toList();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(approver, null, authorities));
    }

    /** Signed in with a password at {@code at}, as Spring Security records the factor. */
    private void signIn(String approver, java.time.Instant at) {
        signIn(approver);
        var current = SecurityContextHolder.getContext().getAuthentication();
        var authorities = new java.util.ArrayList<org.springframework.security.core.GrantedAuthority>(current.getAuthorities());
        authorities.add(org.springframework.security.core.authority.FactorGrantedAuthority.withAuthority(
                org.springframework.security.core.authority.FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(at).build());
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(approver, null, authorities));
    }

    private static String split(String payee, String amount) {
        return "{\"tool\":\"payments.split\",\"arguments\":{\"to\":\"" + payee + "\",\"amount\":\"" + amount + "\"}}";
    }

    private String ask(String token, String body) {
        var response = api.ask(token, body);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asString();
    }

    /** As an admin reads it: any agent's request. */
    private String status(String id) {
        var request = api.get(api.token("admin", "admin"), "/api/v1/approvals/" + id);
        assertThat(request.status()).as(request.raw().body()).isEqualTo(200);
        return request.body().get("status").asString();
    }

    private static String transfer(String memo) {
        String amount = (10 + (int) (Math.random() * 900)) + ".00";
        return "{\"tool\":\"payments.transfer\",\"category\":\"SPEND_MONEY\",\"amount\":{\"value\":\"" + amount
                + "\",\"currency\":\"EUR\"},\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"" + amount + "\",\"memo\":\"" + memo + "\"}}";
    }

    private static List<String> ids(InboxView inbox) {
        return inbox.grid.getGenericDataView().getItems().flatMap(row -> row.requests().stream()).map(r -> r.id()).toList();
    }
}

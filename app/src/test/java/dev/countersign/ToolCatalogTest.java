package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The downgrades an agent could once choose for itself, refused or landing on the right rule:
 * policy, approvers and the audit log see the facts the catalog derives from the arguments that
 * will run, never what the agent declares.
 */
@EndToEndTest
class ToolCatalogTest extends EndToEndBase {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.shared();

    @Test
    void aSmallDeclaredAmountBesideALargeOneInTheArgumentsIsRefusedAndAudited() {
        String to = "acct-" + UUID.randomUUID();
        var refused = api.ask(agent, """
                {"tool":"payments.transfer","arguments":{"from":"acct-ops","to":"%s","amount":"9000000.00"},
                 "amount":{"value":"10.00","currency":"EUR"}}""".formatted(to));

        assertProblem(refused, 422, "facts_mismatch");
        assertThat(refused.body().get("mismatches")).singleElement().satisfies(mismatch -> {
            assertThat(mismatch.get("field").asString()).isEqualTo("amount.value");
            assertThat(mismatch.get("declared").asString()).isEqualTo("10.00");
            assertThat(mismatch.get("derived").asString()).isEqualTo("9000000.00");
        });
        assertThat(count("select count(*) from audit_entry where type = 'action.refused' and data like ? and data like ?",
                "%facts_mismatch%", "%" + refused.body().get("mismatches").get(0).get("derived").asString() + "%")).isEqualTo(1);
        assertThat(count("select count(*) from action_request where body like ?", "%" + to + "%")).isZero();
    }

    @Test
    void theSameTransferWithoutADeclarationNeedsTwoApprovalsAndApproversSeeTheRealAmount() {
        var asked = api.ask(agent, """
                {"tool":"payments.transfer","arguments":{"from":"acct-ops","to":"acct-%s","amount":"9000000.00"}}"""
                .formatted(UUID.randomUUID()));

        assertThat(asked.status()).isEqualTo(201);
        assertThat(asked.body().at("/decision/rule").asString()).isEqualTo("large-payments");
        assertThat(asked.body().at("/approval/quorum").asInt()).isEqualTo(2);
        assertThat(asked.body().at("/facts/amount/value").asString()).isEqualTo("9000000.00");
        assertThat(asked.body().at("/facts/amount/currency").asString()).isEqualTo("EUR");
        assertThat(asked.body().at("/facts/resource").asString()).isEqualTo("acct-ops");
        assertThat(asked.body().at("/decision/catalogVersion").asString()).startsWith("sha256:");

        // Asking again for the same call with a forged declaration does not slip onto the pending request.
        var forged = api.ask(agent, """
                {"tool":"payments.transfer","arguments":%s,"amount":{"value":"10.00","currency":"EUR"}}"""
                .formatted(asked.body().get("arguments").toString()));
        assertProblem(forged, 422, "facts_mismatch");

        var approverView = api.get(person("alice"), "/api/v1/approvals/" + asked.body().get("id").asString()).body();
        assertThat(approverView.at("/amount/value").asString()).isEqualTo("9000000.00");
        assertThat(approverView.at("/category").asString()).isEqualTo("SPEND_MONEY");
    }

    @Test
    void aProductionDropDeclaredAsStagingIsRefusedAndWithoutTheDeclarationDenied() {
        String ops = api.token("ops-agent", "ops-agent-secret");
        String arguments = "{\"database\":\"prod-main\",\"table\":\"t-" + UUID.randomUUID() + "\"}";

        var declared = api.ask(ops, "{\"tool\":\"db.drop_table\",\"arguments\":" + arguments + ",\"environment\":\"staging\"}");
        assertProblem(declared, 422, "facts_mismatch");
        assertThat(declared.body().at("/mismatches/0/field").asString()).isEqualTo("environment");
        assertThat(declared.body().at("/mismatches/0/derived").asString()).isEqualTo("prod");

        var plain = api.ask(ops, "{\"tool\":\"db.drop_table\",\"arguments\":" + arguments + "}");
        assertThat(plain.status()).isEqualTo(201);
        assertThat(plain.body().get("status").asString()).isEqualTo("DENIED");
        assertThat(plain.body().at("/decision/rule").asString()).isEqualTo("no-prod-drops");
    }

    @Test
    void anotherSpellingOfAProductionDatabaseIsDeniedOrRefusedNeverAskedAsDev() {
        String ops = api.token("ops-agent", "ops-agent-secret");
        // Each of these was an admin-approvable request labelled dev beside a resource that read prod-main.
        for (String database : List.of(" prod-main", "\tprod-main", "PROD-main", "Prod-main", "pr\u043Ed-main", "\uFF50rod-main",
                "\u200Bprod-main")) {
            String arguments = JSON.writeValueAsString(Map.of("database", database, "table", "t-" + UUID.randomUUID()));
            var asked = api.ask(ops, "{\"tool\":\"db.drop_table\",\"arguments\":" + arguments + "}");

            if (asked.status() == 201) {
                assertThat(asked.body().get("status").asString()).as(database).isEqualTo("DENIED");
                assertThat(asked.body().at("/decision/rule").asString()).isEqualTo("no-prod-drops");
                assertThat(asked.body().at("/facts/environment").asString()).isEqualTo("prod");
                assertThat(asked.body().at("/facts/resource").asString()).isEqualTo("prod-main");
            } else {
                assertProblem(asked, 422, "validation_failed");
                assertThat(asked.body().at("/errors/0/pointer").asString()).as(database).isEqualTo("/arguments/database");
            }
        }
        assertThat(count("select count(*) from action_request where agent_id = 'ops-agent' and tool = 'db.drop_table' "
                + "and status = 'PENDING'")).isZero();
    }

    @Test
    void declarationsThatAgreeAfterNormalisationAreAccepted() {
        String ops = api.token("ops-agent", "ops-agent-secret");
        var asked = api.ask(ops, """
                {"tool":"db.query","arguments":{"database":"prod-main","sql":"select 1 -- %s"},
                 "environment":" PROD ","category":"read_sensitive","resource":"prod-main"}""".formatted(UUID.randomUUID()));

        assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
        assertThat(asked.body().at("/decision/rule").asString()).isEqualTo("sensitive-reads");
        assertThat(asked.body().at("/approval/approvers/0").asString()).isEqualTo("group:platform");
        assertThat(asked.body().at("/facts/environment").asString()).isEqualTo("prod");
    }

    @Test
    void aToolTheCatalogDoesNotKnowIsRefusedEvenWhenTheAgentMayUseIt() {
        var refused = api.ask(api.token("gadget-agent", "gadget-agent-secret"), "{\"tool\":\"gadgets.launch\",\"arguments\":{}}");

        assertProblem(refused, 422, "unknown_tool");
        assertThat(refused.body().get("detail").asString()).contains("gadgets.launch").contains("an admin registers it");
        assertThat(count("select count(*) from audit_entry where type = 'action.refused' and actor = 'gadget-agent' and data like ?",
                "%unknown_tool%")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void argumentsTheSchemaRefusesAreListedWithTheirPointers() {
        var refused = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"amount\":\"lots\",\"memo\":1}}");

        assertProblem(refused, 422, "validation_failed");
        List<String> pointers = refused.body().get("errors").valueStream().map(error -> error.get("pointer").asString()).toList();
        assertThat(pointers).contains("/arguments/to", "/arguments/amount", "/arguments/memo");
    }

    @Test
    void numbersADoubleCannotHoldAreRefusedRatherThanRounded() {
        var refused = api.ask(agent, "{\"tool\":\"docs.read\",\"arguments\":{\"page\":12345678901234567891}}");

        assertProblem(refused, 422, "validation_failed");
        assertThat(refused.body().at("/errors/0/pointer").asString()).isEqualTo("/arguments/page");
    }

    @Test
    void anAmountAsANumberOrAsAStringIsOneAmount() {
        String to = "acct-" + UUID.randomUUID();
        var asNumber = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"" + to + "\",\"amount\":1250}}");
        var withScale = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"amount\":1250.00,\"to\":\"" + to + "\",\"from\":\"acct-ops\"}}");
        var asString = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"" + to + "\",\"amount\":\"1250\"}}");

        assertThat(asNumber.status()).isEqualTo(201);
        // The same JSON number in another spelling is the same action: it coalesces onto the pending one.
        assertThat(withScale.status()).isEqualTo(200);
        assertThat(withScale.header("Coalesced")).isEqualTo("true");
        assertThat(withScale.body().get("id").asString()).isEqualTo(asNumber.body().get("id").asString());
        // A string is another action to the tool, but the same facts to policy.
        assertThat(asString.status()).isEqualTo(201);
        assertThat(asString.body().get("actionHash").asString()).isNotEqualTo(asNumber.body().get("actionHash").asString());
        for (JsonNode request : List.of(asNumber.body(), asString.body())) {
            assertThat(request.at("/decision/rule").asString()).isEqualTo("large-payments");
            assertThat(new java.math.BigDecimal(request.at("/facts/amount/value").asString())).isEqualByComparingTo("1250");
        }
    }

    @Test
    void anAmountTooSmallOrTooLargeToStoreIsRefusedAtOnceAndAFairAskStillWorks() {
        // 1e-63 written out is longer than the amount column: the insert failed, was taken for a lost race, and retried
        // forever (the ask never answered and kept a core busy). Negative amounts passed as "small" ones.
        for (String amount : List.of("1e-63", "1e-300", "1.5e-19", "-5", "-0.01")) {
            String body = "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                    + "\",\"amount\":" + amount + "}}";
            var refused = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> api.ask(agent, body), "the ask with amount " + amount + " never answered");

            assertProblem(refused, 422, "validation_failed");
            assertThat(refused.raw().body()).as(amount).contains("/arguments");
        }
        var fair = api.ask(agent, "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-"
                + UUID.randomUUID() + "\",\"amount\":0.000000000000000001}}");
        assertThat(fair.status()).as(fair.raw().body()).isEqualTo(201);
        assertThat(new java.math.BigDecimal(fair.body().at("/facts/amount/value").asString())).isEqualByComparingTo("1e-18");
    }

    private static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
    }
}

package dev.countersign.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.EndToEndBase;
import dev.countersign.EndToEndTest;
import dev.countersign.audit.AuditLog;
import dev.countersign.testing.Svids;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The runtime that asked: the SVID agent's platform attests its model and instructions in its
 * token (application-test.yaml, {@code runtime-claims}: {@code model_provider},
 * {@code runtime.model}, {@code runtime.instructions}). Attested values win; a declared value that
 * differs is refused like a facts mismatch; the request records what ran and whether that changed
 * since the agent's last request people approved, which policy sees ({@code runtime-changed-payments}
 * in the test policy asks two approvers then).
 */
@EndToEndTest
class AgentRuntimeTest extends EndToEndBase {

    @Autowired
    AuditLog audit;

    @Test
    void attestedClaimsWinADifferingDeclarationIsRefusedAndAChangeSincePeopleApprovedIsShownAndDecidedOn() {
        // A model of its own per run: the agent's history in the shared database holds no earlier approval of it.
        String model = "model-" + UUID.randomUUID();
        String instructions = "sha256:" + "a1".repeat(32);
        String token = token(model, instructions);

        // Nothing declared: the token says it all; no earlier approved request to compare with.
        var first = api.ask(token, payment(null));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(201);
        JsonNode ran = first.body().get("runtime");
        assertThat(ran.at("/model/provider").asString()).isEqualTo("example-ai");
        assertThat(ran.at("/model/name").asString()).isEqualTo(model);
        assertThat(ran.get("instructions").asString()).isEqualTo(instructions);
        assertThat(strings(ran.get("attested"))).containsExactly("instructions", "model.name", "model.provider");
        assertThat(ran.has("changedSinceLastApproval")).isFalse();
        assertThat(first.body().at("/decision/rule").asString()).isEqualTo("small-payments");

        // A declared value that differs from the token's is refused and audited; the same one, spelt differently, is not.
        var lying = api.ask(token, payment("{\"model\":{\"name\":\"some-other-model\"}}"));
        assertThat(lying.status()).isEqualTo(422);
        assertThat(lying.code()).isEqualTo("facts_mismatch");
        assertThat(lying.body().at("/mismatches/0/field").asString()).isEqualTo("runtime.model.name");
        assertThat(lying.body().at("/mismatches/0/declared").asString()).isEqualTo("some-other-model");
        assertThat(lying.body().at("/mismatches/0/derived").asString()).isEqualTo(model);
        assertThat(audit.newest(Long.MAX_VALUE, 20)).as("newest audit entries")
                .anyMatch(entry -> entry.type().equals("action.refused") && entry.data().contains("runtime.model.name"));
        // What the token does not speak to, the ask may declare: recorded, but not as attested.
        var declared = api.ask(token, payment("{\"model\":{\"name\":\" " + model.toUpperCase() + " \"},\"corpus\":\"sha256:" + "c3".repeat(32) + "\"}"));
        assertThat(declared.status()).as(declared.raw().body()).isEqualTo(201);
        assertThat(declared.body().at("/runtime/corpus").asString()).isEqualTo("sha256:" + "c3".repeat(32));
        assertThat(declared.body().at("/runtime/model/name").asString()).isEqualTo(model);
        assertThat(strings(declared.body().at("/runtime/attested"))).doesNotContain("corpus");

        // People approve the first request (dana owns the agent; alice does not).
        String id = first.body().get("id").asString();
        assertThat(api.vote(person("alice"), id, "APPROVE", null).status()).isEqualTo(200);

        // The same runtime again: unchanged, the usual rule.
        var same = api.ask(token, payment(null));
        assertThat(same.body().at("/runtime/changedSinceLastApproval").asBoolean()).isFalse();
        assertThat(same.body().at("/decision/rule").asString()).isEqualTo("small-payments");

        // New instructions since then: changed, and the policy asks two approvers.
        var changed = api.ask(token(model, "sha256:" + "b2".repeat(32)), payment(null));
        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(201);
        assertThat(changed.body().at("/runtime/changedSinceLastApproval").asBoolean()).isTrue();
        assertThat(changed.body().at("/decision/rule").asString()).isEqualTo("runtime-changed-payments");
        assertThat(changed.body().at("/approval/quorum").asInt()).isEqualTo(2);
        var entry = audit.entriesFor(changed.body().get("id").asString()).stream().filter(e -> e.type().equals("action.requested")).toList();
        assertThat(entry).hasSize(1);
        assertThat(entry.getFirst().data()).contains("b2b2b2");
    }

    @Test
    void anAskThatSaysNothingOfItsRuntimeRecordsNone() {
        var asked = api.ask(agent, payment(null));
        assertThat(asked.status()).isEqualTo(201);
        assertThat(asked.body().has("runtime")).isFalse();
        var malformed = api.ask(agent, payment("{\"model\":\"gpt\",\"prompt\":\"x\"}"));
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.code()).isEqualTo("validation_failed");
        assertThat(malformed.raw().body()).contains("runtime.model").contains("runtime.prompt");
    }

    @Test
    void theLongestRuntimeIsStoredAndControlCharactersAreRefused() {
        // Every field at its 256-character bound, in the characters JSON doubles when it stores them: still stored whole.
        String longest = "\\\"".repeat(256);
        String everyField = "{\"model\":{\"provider\":\"" + longest + "\",\"name\":\"" + longest + "\",\"version\":\"" + longest
                + "\"},\"instructions\":\"" + longest + "\",\"tools\":\"" + longest + "\",\"corpus\":\"" + longest + "\"}";
        var stored = api.ask(agent, payment(everyField));
        assertThat(stored.status()).as(stored.raw().body()).isEqualTo(201);
        assertThat(stored.body().at("/runtime/corpus").asString()).hasSize(256);

        var control = api.ask(agent, payment("{\"model\":{\"name\":\"gpt\\u0000x\"}}"));
        assertThat(control.status()).isEqualTo(422);
        assertThat(control.code()).isEqualTo("validation_failed");
        assertThat(control.raw().body()).contains("runtime.model.name");
    }

    private static String token(String model, String instructions) {
        return Svids.of(claims -> claims.claim("model_provider", "example-ai")
                .claim("runtime", Map.of("model", model, "instructions", instructions)));
    }

    private static String payment(String runtime) {
        return "{\"tool\":\"payments.transfer\",\"arguments\":{\"from\":\"acct-ops\",\"to\":\"acct-" + UUID.randomUUID()
                + "\",\"amount\":\"20.00\"}" + (runtime == null ? "" : ",\"runtime\":" + runtime) + "}";
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}

package dev.countersign.client.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.client.ActionHash;
import dev.countersign.client.ScriptedCountersign;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * The adapter's own part, against a scripted Countersign: the model's tool input becomes the ask, the tool runs with
 * that same input only after its grant is redeemed, and anything else leaves the tool alone and tells the model why.
 * SpringAiAdapterIT (app/) runs it in Spring AI's own loop against a real Countersign.
 */
class CountersignToolCallbackTest {

    private static final String INPUT = "{\"to\":\"acct-vendor-17\",\"amount\":\"1250.00\"}";

    private final ScriptedCountersign countersign = new ScriptedCountersign();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final ToolCallback transfer = new ToolCallback() {
        @Override
        public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder().name("transfer").description("Moves money").inputSchema("{\"type\":\"object\"}").build();
        }

        @Override
        public String call(String toolInput) {
            ran.add(toolInput);
            return "paid";
        }
    };

    @AfterEach
    void stop() {
        countersign.close();
    }

    @Test
    void anApprovedCallRunsTheToolWithTheModelsInputOnceItsGrantIsRedeemedForThoseArguments() {
        countersign.then(201, """
                {"id":"act_1","status":"APPROVED","tool":"payments.transfer","actionHash":"sha256:x",
                 "grant":{"token":"grant-jws","expiresAt":"2030-01-01T00:00:00Z"}}""")
                .then(200, """
                        {"requestId":"act_1","agent":"billing-agent","tool":"payments.transfer","actionHash":"sha256:x"}""");

        String answer = CountersignToolCallback.guard(transfer, "payments.transfer", countersign.client()).call(INPUT);

        assertThat(answer).isEqualTo("paid");
        assertThat(ran).containsExactly(INPUT);
        assertThat(countersign.seen()).hasSize(2);
        assertThat(countersign.seen().getFirst()).satisfies(ask -> {
            assertThat(ask.method() + " " + ask.path()).isEqualTo("POST /api/v1/actions");
            assertThat(ask.headers().get("authorization")).isEqualTo("Bearer agent-token");
            assertThat(ask.body()).contains("\"tool\":\"payments.transfer\"", "\"amount\":\"1250.00\"", "\"to\":\"acct-vendor-17\"",
                    "Spring AI tool transfer");
        });
        assertThat(countersign.seen().get(1)).satisfies(redeem -> {
            assertThat(redeem.method() + " " + redeem.path()).isEqualTo("POST /api/v1/grants/redeem");
            assertThat(redeem.headers().get("authorization")).isEqualTo("Bearer gateway-token");
            assertThat(redeem.body()).contains("grant-jws",
                    ActionHash.of("payments.transfer", Map.of("to", "acct-vendor-17", "amount", "1250.00")));
        });
    }

    @Test
    void aDeniedCallLeavesTheToolAloneAndTellsTheModelWhy() {
        countersign.then(201, """
                {"id":"act_2","status":"DENIED","tool":"payments.transfer","actionHash":"sha256:x",
                 "decision":{"by":"POLICY","rule":"no-large-payments","reason":"over the agent's limit"}}""");

        String answer = CountersignToolCallback.guard(transfer, "payments.transfer", countersign.client()).call(INPUT);

        assertThat(answer).isEqualTo("Not run: Countersign DENIED - over the agent's limit [request act_2]");
        assertThat(ran).isEmpty();
        assertThat(countersign.seen()).as("no redemption").hasSize(1);
    }

    @Test
    void aCallPeopleHaveNotDecidedByTheDeadlineDoesNotRun() {
        countersign.then(201, "{\"id\":\"act_3\",\"status\":\"PENDING\",\"tool\":\"payments.transfer\",\"actionHash\":\"sha256:x\"}");
        for (int i = 0; i < 100; i++) {
            countersign.then(200, "{\"id\":\"act_3\",\"status\":\"PENDING\",\"tool\":\"payments.transfer\",\"actionHash\":\"sha256:x\"}");
        }

        String answer = CountersignToolCallback.guard(transfer, "payments.transfer", countersign.client())
                .waitingAtMost(Duration.ofMillis(300)).call(INPUT);

        assertThat(answer).startsWith("Not run yet: waiting for people to approve Countersign request act_3");
        assertThat(ran).isEmpty();
        assertThat(countersign.seen()).extracting(seen -> seen.method() + " " + seen.path())
                .startsWith("POST /api/v1/actions").noneMatch(call -> call.contains("/grants/redeem"));
    }
}

package dev.countersign.client.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.client.ActionHash;
import dev.countersign.client.ScriptedCountersign;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.ToolExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own part, against a scripted Countersign: the model's call (its id, the conversation, the arguments)
 * becomes the ask and its key, the tool runs only after the grant is redeemed, and guardAll guards exactly the named
 * tools. LangChain4jAdapterIT (app/) runs it in AiServices' loop against a real Countersign.
 */
class CountersignToolExecutorTest {

    private static final String ARGUMENTS = "{\"to\":\"acct-vendor-17\",\"amount\":\"1250.00\"}";

    private final ScriptedCountersign countersign = new ScriptedCountersign();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final ToolExecutor transfer = (request, memoryId) -> {
        ran.add(request.arguments());
        return "paid";
    };

    static class PaymentTools {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Tool("Moves money")
        String transfer(@P("to") String to, @P("amount") String amount) {
            calls.add("transfer " + to + " " + amount);
            return "paid";
        }

        @Tool("Reads the balance")
        String balance(@P("account") String account) {
            calls.add("balance " + account);
            return "100.00";
        }
    }

    @AfterEach
    void stop() {
        countersign.close();
    }

    @Test
    void anApprovedCallIsAskedUnderTheModelsCallIdAndRunsAfterItsGrantIsRedeemed() throws Exception {
        approvedWithGrant("act_1").then(200,
                "{\"requestId\":\"act_1\",\"agent\":\"billing-agent\",\"tool\":\"payments.transfer\",\"actionHash\":\"sha256:x\"}");

        String answer = transferCalled("call_7");

        assertThat(answer).isEqualTo("paid");
        assertThat(ran).containsExactly(ARGUMENTS);
        String hash = ActionHash.of("payments.transfer", Map.of("to", "acct-vendor-17", "amount", "1250.00"));
        assertThat(countersign.seen()).extracting(seen -> seen.method() + " " + seen.path())
                .containsExactly("POST /api/v1/actions", "POST /api/v1/grants/redeem");
        assertThat(countersign.seen().getFirst().headers().get("idempotency-key"))
                .as("the same model call in the same conversation is the same ask").isEqualTo("call-" + sha256("conversation-1/call_7/" + hash));
        assertThat(countersign.seen().get(1).body()).contains("grant-jws", hash);
    }

    @Test
    void aGrantRefusedAtRedemptionLeavesTheToolAlone() {
        approvedWithGrant("act_2").then(409, "{\"code\":\"grant_already_redeemed\",\"status\":409}");

        String answer = transferCalled("call_8");

        assertThat(answer).startsWith("Not run: Countersign REFUSED (grant_already_redeemed)").endsWith("[request act_2]");
        assertThat(ran).isEmpty();
    }

    @Test
    void guardAllGuardsTheNamedToolsAndLeavesTheOthersAsTheyAre() {
        var tools = new PaymentTools();
        Map<ToolSpecification, ToolExecutor> executors = CountersignToolExecutor.guardAll(tools, Map.of("transfer", "payments.transfer"),
                countersign.client());

        assertThat(executors.keySet()).extracting(ToolSpecification::name).containsExactlyInAnyOrder("transfer", "balance");
        ToolExecutor balance = executor(executors, "balance");
        ToolExecutor guardedTransfer = executor(executors, "transfer");
        assertThat(balance).isNotInstanceOf(CountersignToolExecutor.class);
        assertThat(guardedTransfer).isInstanceOf(CountersignToolExecutor.class);

        String read = balance.execute(ToolExecutionRequest.builder().id("c1").name("balance").arguments("{\"account\":\"acct-ops\"}").build(), 1);

        assertThat(read).isEqualTo("100.00");
        assertThat(tools.calls).containsExactly("balance acct-ops");
        assertThat(countersign.seen()).as("an unguarded tool asks nobody").isEmpty();
    }

    private ScriptedCountersign approvedWithGrant(String id) {
        return countersign.then(201, """
                {"id":"%s","status":"APPROVED","tool":"payments.transfer","actionHash":"sha256:x",
                 "grant":{"token":"grant-jws","expiresAt":"2030-01-01T00:00:00Z"}}""".formatted(id));
    }

    /** The model calls the guarded transfer with ARGUMENTS, as call {@code callId} of conversation-1. */
    private String transferCalled(String callId) {
        var call = ToolExecutionRequest.builder().id(callId).name("transfer").arguments(ARGUMENTS).build();
        return CountersignToolExecutor.guard(transfer, "payments.transfer", countersign.client()).execute(call, "conversation-1");
    }

    private static ToolExecutor executor(Map<ToolSpecification, ToolExecutor> executors, String name) {
        return executors.entrySet().stream().filter(entry -> entry.getKey().name().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

package dev.countersign.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.client.ActionRequest;
import dev.countersign.client.Ask;
import dev.countersign.client.Countersign;
import dev.countersign.client.langchain4j.CountersignToolExecutor;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's own tool loop (AiServices over {@code @Tool} methods) driven by a scripted model against a real
 * Countersign: a guarded tool runs only with a grant redeemed for exactly the model's arguments.
 */
class LangChain4jAdapterIT {

    private static final String AGENT = "langchain4j-agent";
    private final Countersign countersign = ClientSuite.countersign(AGENT);
    private final Tools tools = new Tools();

    interface Assistant {
        String chat(String message);
    }

    /** The agent's tools, as a LangChain4j user writes them; each records what it ran with. */
    static final class Tools {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Tool("Reads a page of the internal docs")
        String readDocs(@P("page") String page) {
            ran.add("readDocs " + page);
            return "readDocs ran";
        }

        @Tool("Moves money to a payee")
        String transfer(@P("from") String from, @P("to") String to, @P("amount") String amount, @P("memo") String memo) {
            ran.add("transfer " + to + " " + amount);
            return "transfer ran";
        }

        @Tool("Drops a table")
        String dropTable(@P("database") String database) {
            ran.add("dropTable " + database);
            return "dropTable ran";
        }
    }

    @Test
    void aToolPolicyAllowsRunsAtOnce() {
        assertThat(assistant("readDocs", "{\"page\":\"runbook\"}").chat("read")).isEqualTo("The tool said: readDocs ran");
        assertThat(tools.ran).containsExactly("readDocs runbook");
    }

    @Test
    void aPaymentRunsAfterPeopleApproveIt() throws Exception {
        String args = transfer("150.00", ClientSuite.memo());
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var answer = background.submit(() -> assistant("transfer", args).chat("pay"));
            ClientSuite.decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
            assertThat(answer.get()).isEqualTo("The tool said: transfer ran");
        }
        assertThat(tools.ran).containsExactly("transfer acct-vendor-17 150.00");
    }

    @Test
    void aDeniedCallDoesNotRunAndTheModelReadsWhy() {
        String answer = assistant("dropTable", "{\"database\":\"" + ClientSuite.productionDatabase() + "\"}").chat("drop it");

        assertThat(answer).startsWith("The tool said: Not run: Countersign DENIED - Agents never drop production databases [request act_");
        assertThat(tools.ran).isEmpty();
    }

    @Test
    void theModelCallingAgainDoesNotAskPeopleTwiceNorRunTwice() throws Exception {
        String args = transfer("160.00", ClientSuite.memo());
        String approvedId;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = background.submit(() -> assistant("transfer", args).chat("pay"));
            approvedId = ClientSuite.decideNextAsk(AGENT, "payments.transfer", "bob", "APPROVE");
            assertThat(first.get()).isEqualTo("The tool said: transfer ran");
        }

        String again = assistant("transfer", args).chat("pay");

        assertThat(again).isEqualTo("The tool said: Not run: Countersign REFUSED (grant_already_redeemed) - this approved call "
                + "already ran once; a grant runs a call once [request " + approvedId + "]");
        assertThat(tools.ran).containsExactly("transfer acct-vendor-17 160.00");
    }

    @Test
    void aGrantIsRefusedForArgumentsOtherThanTheApprovedOnes() throws Exception {
        String memo = ClientSuite.memo();
        ActionRequest approved;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = background.submit(() -> countersign.await(countersign.ask(Ask.of("payments.transfer",
                    Map.of("from", "acct-ops", "to", "acct-vendor-17", "amount", "170.00", "memo", memo))).id(), Duration.ofSeconds(30)));
            ClientSuite.decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
            approved = waiting.get();
        }
        assertThat(approved.status()).isEqualTo("APPROVED");
        var guarded = (CountersignToolExecutor) CountersignToolExecutor.guardAll(tools, Map.of("transfer", "payments.transfer"), countersign)
                .entrySet().stream().filter(e -> e.getKey().name().equals("transfer")).findFirst().orElseThrow().getValue();

        String answer = guarded.runApproved(approved, ToolExecutionRequest.builder().id("call_1").name("transfer")
                .arguments("{\"from\":\"acct-ops\",\"to\":\"acct-vendor-17\",\"amount\":\"1700.00\",\"memo\":\"" + memo + "\"}").build(), null);

        assertThat(answer).startsWith("Not run: Countersign REFUSED (grant_invalid)");
        assertThat(tools.ran).isEmpty();
    }

    private static String transfer(String amount, String memo) {
        return "{\"from\":\"acct-ops\",\"to\":\"acct-vendor-17\",\"amount\":\"" + amount + "\",\"memo\":\"" + memo + "\"}";
    }

    private Assistant assistant(String tool, String arguments) {
        return AiServices.builder(Assistant.class).chatModel(new ScriptedModel(tool, arguments))
                .tools(CountersignToolExecutor.guardAll(tools, Map.of("readDocs", "docs.read", "transfer", "payments.transfer",
                        "dropTable", "db.drop_table"), countersign))
                .build();
    }

    /** First turn: call the one tool with the scripted arguments; then repeat what the tool answered. */
    static final class ScriptedModel implements ChatModel {
        private final String tool;
        private final String arguments;

        ScriptedModel(String tool, String arguments) {
            this.tool = tool;
            this.arguments = arguments;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            ChatMessage last = request.messages().getLast();
            if (last instanceof ToolExecutionResultMessage result) {
                return ChatResponse.builder().aiMessage(AiMessage.from("The tool said: " + result.text())).build();
            }
            assertThat(request.toolSpecifications()).as("the tools offered to the model").extracting(s -> s.name()).contains(tool);
            // A new id for every call, as a model's API gives: the adapter's Idempotency-Key is made from it.
            return ChatResponse.builder().aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("call_" + java.util.UUID.randomUUID()).name(tool)
                    .arguments(arguments).build())).build();
        }
    }
}

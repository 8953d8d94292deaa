package dev.countersign.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.client.Countersign;
import dev.countersign.client.springai.CountersignToolCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Spring AI's own tool-calling loop (ChatClient and its ToolCallingAdvisor) driven by a scripted model against a real
 * Countersign: a guarded tool runs only with a grant redeemed for exactly the model's arguments.
 */
class SpringAiAdapterIT {

    private static final String AGENT = "spring-ai-agent";
    private final Countersign countersign = ClientSuite.countersign(AGENT);

    @Test
    void aToolPolicyAllowsRunsAtOnce() {
        var docs = new RecordingTool("read_docs");
        var model = new ScriptedModel("read_docs", "{\"page\":\"runbook\"}");

        String answer = chat(model, CountersignToolCallback.guard(docs, "docs.read", countersign));

        assertThat(docs.calls).containsExactly("{\"page\":\"runbook\"}");
        assertThat(answer).isEqualTo("The tool said: read_docs ran");
    }

    @Test
    void aPaymentRunsAfterPeopleApproveIt() throws Exception {
        var transfer = new RecordingTool("transfer");
        String args = "{\"from\":\"acct-ops\",\"to\":\"acct-vendor-17\",\"amount\":\"120.00\",\"memo\":\"" + ClientSuite.memo() + "\"}";
        var model = new ScriptedModel("transfer", args);

        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var answer = background.submit(() -> chat(model, CountersignToolCallback.guard(transfer, "payments.transfer", countersign)));
            ClientSuite.decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
            assertThat(answer.get()).isEqualTo("The tool said: transfer ran");
        }
        assertThat(transfer.calls).containsExactly(args);
    }

    @Test
    void aDeniedCallDoesNotRunAndTheModelReadsWhy() {
        var drop = new RecordingTool("drop_table");
        var model = new ScriptedModel("drop_table", "{\"database\":\"" + ClientSuite.productionDatabase() + "\"}");

        String answer = chat(model, CountersignToolCallback.guard(drop, "db.drop_table", countersign));

        assertThat(drop.calls).isEmpty();
        assertThat(answer).startsWith("The tool said: Not run: Countersign DENIED - Agents never drop production databases [request act_");
    }

    @Test
    void theModelCallingAgainDoesNotAskPeopleTwiceNorRunTwice() throws Exception {
        var transfer = new RecordingTool("transfer");
        String args = "{\"from\":\"acct-ops\",\"to\":\"acct-vendor-17\",\"amount\":\"130.00\",\"memo\":\"" + ClientSuite.memo() + "\"}";
        var guarded = CountersignToolCallback.guard(transfer, "payments.transfer", countersign);

        String approvedId;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = background.submit(() -> chat(new ScriptedModel("transfer", args), guarded));
            approvedId = ClientSuite.decideNextAsk(AGENT, "payments.transfer", "bob", "APPROVE");
            assertThat(first.get()).isEqualTo("The tool said: transfer ran");
        }
        // The same step again (a retried turn in the same conversation): answered from the approved request, at once.
        String again = chat(new ScriptedModel("transfer", args), guarded);

        assertThat(again).isEqualTo("The tool said: Not run: Countersign REFUSED (grant_already_redeemed) - this approved call "
                + "already ran once; a grant runs a call once [request " + approvedId + "]");
        assertThat(transfer.calls).containsExactly(args);
    }

    @Test
    void aGrantIsRefusedForArgumentsOtherThanTheApprovedOnes() throws Exception {
        var transfer = new RecordingTool("transfer");
        String memo = ClientSuite.memo();
        var asked = dev.countersign.client.Ask.of("payments.transfer",
                Map.of("from", "acct-ops", "to", "acct-vendor-17", "amount", "140.00", "memo", memo));
        dev.countersign.client.ActionRequest approved;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = background.submit(() -> countersign.await(countersign.ask(asked).id(), java.time.Duration.ofSeconds(30)));
            ClientSuite.decideNextAsk(AGENT, "payments.transfer", "alice", "APPROVE");
            approved = waiting.get();
        }
        assertThat(approved.status()).isEqualTo("APPROVED");

        String answer = CountersignToolCallback.guard(transfer, "payments.transfer", countersign).runApproved(approved,
                "{\"from\":\"acct-ops\",\"to\":\"acct-attacker-1\",\"amount\":\"140.00\",\"memo\":\"" + memo + "\"}");

        assertThat(answer).startsWith("Not run: Countersign REFUSED (grant_invalid)");
        assertThat(transfer.calls).isEmpty();
    }

    private static String chat(ChatModel model, ToolCallback tool) {
        return ChatClient.create(model).prompt().user("Do what the task says").toolCallbacks(tool).call().content();
    }

    /** A tool that records what it was called with. */
    static final class RecordingTool implements ToolCallback {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final String name;

        RecordingTool(String name) {
            this.name = name;
        }

        @Override
        public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder().name(name).description("test tool " + name).inputSchema("{\"type\":\"object\"}").build();
        }

        @Override
        public String call(String toolInput) {
            calls.add(toolInput);
            return name + " ran";
        }
    }

    /** First turn: call the one tool with the scripted arguments; second turn: repeat what the tool answered. */
    static final class ScriptedModel implements ChatModel {
        private final String tool;
        private final String arguments;
        final List<Prompt> prompts = new ArrayList<>();

        ScriptedModel(String tool, String arguments) {
            this.tool = tool;
            this.arguments = arguments;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt);
            Message last = prompt.getInstructions().getLast();
            if (last instanceof ToolResponseMessage result) {
                return new ChatResponse(List.of(new Generation(new AssistantMessage("The tool said: " + result.getResponses().getFirst().responseData()))));
            }
            return new ChatResponse(List.of(new Generation(AssistantMessage.builder().content("")
                    .toolCalls(List.of(new AssistantMessage.ToolCall("call_" + java.util.UUID.randomUUID(), "function", tool, arguments))).build())));
        }

        /** A model that can call tools has tool-calling options, as every provider's model has: the chat client's loop looks for them. */
        @Override
        public ChatOptions getOptions() {
            return ToolCallingChatOptions.builder().build();
        }

        @Override
        public ChatOptions getDefaultOptions() {
            return getOptions();
        }
    }
}

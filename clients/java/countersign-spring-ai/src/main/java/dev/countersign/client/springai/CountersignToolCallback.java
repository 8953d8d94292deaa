package dev.countersign.client.springai;

import dev.countersign.client.ActionRequest;
import dev.countersign.client.Ask;
import dev.countersign.client.Countersign;
import dev.countersign.client.Outcome;
import dev.countersign.client.ToolInput;
import java.time.Duration;
import java.util.Objects;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A Spring AI tool that asks Countersign first: the model's call becomes an ask for {@code countersignTool} with the
 * model's arguments; the wrapped tool runs only once its grant is redeemed for exactly those arguments. Denied,
 * expired or still waiting, the model gets one line saying so (with the request id) instead of the tool's result, so
 * that it can tell the user why.
 *
 * <pre>{@code
 * ToolCallback pay = CountersignToolCallback.guard(transferTool, "payments.transfer", countersign);
 * chatClient.prompt("Pay invoice INV-2291").toolCallbacks(pay).call().content();
 * }</pre>
 *
 * A retried call (the same model call again, another turn with the same arguments) joins the same request: people are
 * not asked twice, and a grant that already ran its call is not redeemed again.
 */
public final class CountersignToolCallback implements ToolCallback {

    private final ToolCallback tool;
    private final String countersignTool;
    private final Countersign countersign;
    private final Duration within;

    private CountersignToolCallback(ToolCallback tool, String countersignTool, Countersign countersign, Duration within) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.countersignTool = Objects.requireNonNull(countersignTool, "countersignTool");
        this.countersign = Objects.requireNonNull(countersign, "countersign");
        this.within = within;
    }

    /** Waits up to 5 minutes for people within the model's turn; longer approvals answer "still waiting". */
    public static CountersignToolCallback guard(ToolCallback tool, String countersignTool, Countersign countersign) {
        return new CountersignToolCallback(tool, countersignTool, countersign, Duration.ofMinutes(5));
    }

    public CountersignToolCallback waitingAtMost(Duration wait) {
        return new CountersignToolCallback(tool, countersignTool, countersign, wait);
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return tool.getToolDefinition();
    }

    @Override
    public ToolMetadata getToolMetadata() {
        return tool.getToolMetadata();
    }

    @Override
    public String call(String toolInput) {
        return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, ToolContext context) {
        Ask ask = Ask.of(countersignTool, ToolInput.parse(toolInput)).justification("Called by the model through Spring AI tool "
                + tool.getToolDefinition().name());
        return countersign.guardForModel(ask, within, () -> context == null ? tool.call(toolInput) : tool.call(toolInput, context));
    }

    /**
     * Runs the tool under a request answered before, with {@code toolInput} as it is now: refused unless the grant was
     * issued for exactly these arguments. What {@link #call} does after the wait; public for callers that ask themselves.
     */
    public String runApproved(ActionRequest request, String toolInput) {
        return Outcome.forModel(countersign.runApproved(request, countersignTool, ToolInput.parse(toolInput), () -> tool.call(toolInput)));
    }
}

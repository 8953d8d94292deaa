package dev.countersign.client.langchain4j;

import dev.countersign.client.ActionHash;
import dev.countersign.client.ActionRequest;
import dev.countersign.client.Ask;
import dev.countersign.client.Countersign;
import dev.countersign.client.Outcome;
import dev.countersign.client.ToolInput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j tool that asks Countersign first: the model's call becomes an ask for {@code countersignTool} with the
 * model's arguments, and the wrapped executor runs only once the grant is redeemed for exactly those arguments.
 * Refused or still waiting, the model gets one line saying so (with the request id) in place of the tool's result.
 *
 * <pre>{@code
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
 *         .tools(CountersignToolExecutor.guardAll(new PaymentTools(), Map.of("transfer", "payments.transfer"), countersign))
 *         .build();
 * }</pre>
 */
public final class CountersignToolExecutor implements ToolExecutor {

    private final ToolExecutor tool;
    private final String countersignTool;
    private final Countersign countersign;
    private final Duration within;

    public CountersignToolExecutor(ToolExecutor tool, String countersignTool, Countersign countersign, Duration within) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.countersignTool = Objects.requireNonNull(countersignTool, "countersignTool");
        this.countersign = Objects.requireNonNull(countersign, "countersign");
        this.within = within;
    }

    /** Waits up to 5 minutes for people within the model's turn. */
    public static CountersignToolExecutor guard(ToolExecutor tool, String countersignTool, Countersign countersign) {
        return new CountersignToolExecutor(tool, countersignTool, countersign, Duration.ofMinutes(5));
    }

    /**
     * Every {@code @Tool} method of {@code toolsObject}, for {@code AiServices.tools(Map)}: those named in
     * {@code countersignTools} (method's tool name → catalog tool) guarded, the others as they are.
     */
    public static Map<ToolSpecification, ToolExecutor> guardAll(Object toolsObject, Map<String, String> countersignTools,
                                                                Countersign countersign) {
        Map<ToolSpecification, ToolExecutor> tools = new LinkedHashMap<>();
        for (Method method : toolsObject.getClass().getDeclaredMethods()) {
            if (method.isAnnotationPresent(dev.langchain4j.agent.tool.Tool.class)) {
                ToolSpecification specification = ToolSpecifications.toolSpecificationFrom(method);
                ToolExecutor executor = new DefaultToolExecutor(toolsObject, method);
                String guarded = countersignTools.get(specification.name());
                tools.put(specification, guarded == null ? executor : guard(executor, guarded, countersign));
            }
        }
        return tools;
    }

    @Override
    public String execute(ToolExecutionRequest request, Object memoryId) {
        Map<String, Object> arguments = ToolInput.parse(request.arguments());
        Ask ask = Ask.of(countersignTool, arguments).justification("Called by the model through LangChain4j tool " + request.name());
        if (request.id() != null) {
            // The model's id for this call: the same step when LangChain4j runs it again. With the action, since a
            // scripted or careless model may reuse ids, and with the conversation where there is one.
            ask = ask.callId(memoryId + "/" + request.id() + "/" + ActionHash.of(countersignTool, arguments));
        }
        return countersign.guardForModel(ask, within, () -> tool.execute(request, memoryId));
    }

    /** Runs the tool under a request answered before, for {@code request}'s arguments as they are now. */
    public String runApproved(ActionRequest answered, ToolExecutionRequest request, Object memoryId) {
        return Outcome.forModel(countersign.runApproved(answered, countersignTool, ToolInput.parse(request.arguments()),
                () -> tool.execute(request, memoryId)));
    }
}

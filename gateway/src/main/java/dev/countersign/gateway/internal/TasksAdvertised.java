package dev.countersign.gateway.internal;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Declares what the MCP Java SDK's schema has no field for, in the SDK's own answers: the server's
 * {@code tasks} capability (in {@code initialize}) and each tool's {@code execution.taskSupport}
 * (in {@code tools/list}). Clients (the TypeScript SDK's {@code callToolStream}) use tasks only when
 * both say so. The SDK writes a JSON answer, or a server-sent event's {@code data:} line, in one
 * {@code write}; that one write is rewritten, and everything else passes as it was.
 */
final class TasksAdvertised extends HttpServletResponseWrapper {

    /** The capability: tools/call may be a task; tasks can be listed and cancelled. */
    static void declare(ObjectNode capabilities) {
        ObjectNode tasks = capabilities.putObject("tasks");
        tasks.putObject("list");
        tasks.putObject("cancel");
        tasks.putObject("requests").putObject("tools").putObject("call");
    }

    static TasksAdvertised inInitialize(HttpServletResponse response, JsonMapper json) {
        return new TasksAdvertised(response, json, answer -> {
            if (answer.path("result").path("capabilities") instanceof ObjectNode capabilities) {
                declare(capabilities);
            }
            return answer;
        });
    }

    static TasksAdvertised inToolsList(HttpServletResponse response, JsonMapper json) {
        return new TasksAdvertised(response, json, answer -> {
            answer.path("result").path("tools").valueStream().filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast)
                    // A call may wait for a person for minutes or hours: a task suits it, an ordinary call still works.
                    .forEach(tool -> tool.putObject("execution").put("taskSupport", "optional"));
            return answer;
        });
    }

    private final JsonMapper json;
    private final UnaryOperator<JsonNode> rewrite;
    private PrintWriter writer;

    private TasksAdvertised(HttpServletResponse response, JsonMapper json, UnaryOperator<JsonNode> rewrite) {
        super(response);
        this.json = json;
        this.rewrite = rewrite;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(super.getWriter()) {
                @Override
                public void write(String text) {
                    super.write(rewritten(text));
                }
            };
        }
        return writer;
    }

    private String rewritten(String text) {
        try {
            if (text.startsWith("data: ") && text.endsWith("\n\n")) {
                return "data: " + json.writeValueAsString(rewrite.apply(json.readTree(text.substring(6, text.length() - 2)))) + "\n\n";
            }
            if (text.startsWith("{")) {
                return json.writeValueAsString(rewrite.apply(json.readTree(text)));
            }
        } catch (RuntimeException notOneMessage) {
            // Not an answer this rewrites: as it was.
        }
        return text;
    }
}

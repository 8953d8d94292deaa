package dev.countersign.gateway.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one error shape of {@code /mcp}: a JSON-RPC error object with a stable code and a message
 * that says what to do, and nothing of Countersign's insides. The MCP SDK answers some refusals
 * with its exception serialized (class names, stack frames, file names and line numbers); the
 * {@link Answer} wrapper keeps such a body from ever reaching the client and answers with this
 * shape instead.
 */
final class JsonRpcErrors {

    /** JSON-RPC 2.0's own codes. */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;

    private JsonRpcErrors() {
    }

    /**
     * Writes the error, leaving the response open (as {@code Problems.write} does, so the container may still add
     * {@code Connection: close} when it will not read an unread body).
     *
     * @param id the request's id when it is known, else {@code null}
     */
    /** A JSON-RPC answer Countersign gives itself (the MCP methods the SDK does not carry), as one JSON body. */
    static void writeResult(HttpServletResponse response, JsonMapper json, JsonNode id, Object result) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("result", result);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void write(HttpServletResponse response, JsonMapper json, int status, int code, String message, JsonNode id) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * A response through which the SDK answers. Once it sets an error status ({@code >= 400}), whatever it writes goes
     * nowhere and {@link #failure()} says which status it chose; the guard then answers in {@link JsonRpcErrors}'
     * shape. A new session's id is reported the moment the SDK sets its header, before the body that carries it is
     * sent, so the session is bound to its agent before the client can use it.
     */
    static final class Answer extends HttpServletResponseWrapper {

        private final Consumer<String> sessionStarted;
        private int failure;
        private String failureMessage;

        Answer(HttpServletResponse response, Consumer<String> sessionStarted) {
            super(response);
            this.sessionStarted = sessionStarted;
        }

        /** The error status the SDK answered with, or 0. */
        int failure() {
            return failure;
        }

        /** The short reason the SDK gave to {@code sendError}, if any (never a serialized exception). */
        String failureMessage() {
            return failureMessage;
        }

        @Override
        public void setHeader(String name, String value) {
            if (McpGuard.SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                sessionStarted.accept(value);
            }
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            if (McpGuard.SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                sessionStarted.accept(value);
            }
            super.addHeader(name, value);
        }

        @Override
        public void setStatus(int status) {
            if (status >= 400) {
                failure = status;
                return;
            }
            super.setStatus(status);
        }

        @Override
        public void sendError(int status, String message) {
            failure = status;
            failureMessage = message;
        }

        @Override
        public void sendError(int status) {
            failure = status;
        }

        @Override
        public void setContentLength(int length) {
            if (failure == 0) {
                super.setContentLength(length);
            }
        }

        @Override
        public void setContentLengthLong(long length) {
            if (failure == 0) {
                super.setContentLengthLong(length);
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return failure == 0 ? super.getOutputStream() : DISCARD;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return failure == 0 ? super.getWriter() : new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        }

        @Override
        public void flushBuffer() throws IOException {
            if (failure == 0) {
                super.flushBuffer();
            }
        }
    }

    /** Where a response's body goes when nobody is to read it. */
    static final ServletOutputStream DISCARD = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
        }
    };
}

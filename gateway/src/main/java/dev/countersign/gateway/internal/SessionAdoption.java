package dev.countersign.gateway.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opens, in this instance's MCP SDK, a session a client opened on another instance: the client's own
 * {@code initialize} message (stored when it opened the session) and {@code notifications/initialized}
 * are played to the SDK's servlet as the client sent them, inside the client's current request and
 * with its caller, and nothing of it reaches the client. The SDK then knows the client (its name,
 * capabilities and protocol version) exactly as the instance where it initialised does.
 */
final class SessionAdoption {

    private final HttpServlet sdk;
    private final JsonMapper json;

    SessionAdoption(HttpServlet sdk, JsonMapper json) {
        this.sdk = sdk;
        this.json = json;
    }

    /** The SDK's id for the session opened here, or empty if the SDK would not open it. */
    Optional<String> adopt(HttpServletRequest current, HttpServletResponse response, byte[] initialize) {
        try {
            ObjectNode message = (ObjectNode) json.readTree(initialize);
            message.put("id", "countersign-adopt");
            var opened = new Captured(response);
            sdk.service(new Played(current, json.writeValueAsBytes(message), null), opened);
            String sdkId = opened.header(McpGuard.SESSION_HEADER);
            if (opened.status >= 300 || sdkId == null) {
                return Optional.empty();
            }
            var initialized = new Captured(response);
            sdk.service(new Played(current, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}".getBytes(StandardCharsets.UTF_8),
                    sdkId), initialized);
            return initialized.status >= 300 ? Optional.empty() : Optional.of(sdkId);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The client's current request, but a POST of {@code body} in session {@code sessionId} (none for initialize). */
    private static final class Played extends PostedBody {
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Played(HttpServletRequest request, byte[] body, String sessionId) {
            super(request, body);
            headers.put("Accept", "application/json, text/event-stream");
            headers.put("Content-Type", "application/json");
            if (sessionId != null) {
                headers.put(McpGuard.SESSION_HEADER, sessionId);
            }
        }

        @Override
        public String getMethod() {
            return "POST";
        }

        @Override
        public String getHeader(String name) {
            return headers.containsKey(name) ? headers.get(name) : passedOn(name) ? super.getHeader(name) : null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(value));
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            names.addAll(headers.keySet());
            Collections.list(super.getHeaderNames()).stream().filter(Played::passedOn).forEach(names::add);
            return Collections.enumeration(names);
        }

        /** The caller's headers (its token, its Origin) stay; what describes the message is this message's. */
        private static boolean passedOn(String name) {
            return !name.equalsIgnoreCase(McpGuard.SESSION_HEADER) && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Last-Event-ID") && !name.equalsIgnoreCase("MCP-Protocol-Version");
        }

        @Override
        public String getContentType() {
            return "application/json";
        }
    }

    /**
     * A response kept here: its status and headers are read, its body dropped. Every method that writes is answered here,
     * so nothing reaches the client's response it stands in front of.
     */
    private static final class Captured extends HttpServletResponseWrapper {
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private int status = 200;

        Captured(HttpServletResponse client) {
            super(client);
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void sendError(int status, String message) {
            this.status = status;
        }

        @Override
        public void sendError(int status) {
            this.status = status;
        }

        @Override
        public void setHeader(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            headers.putIfAbsent(name, value);
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name);
        }

        @Override
        public void setContentType(String type) {
        }

        @Override
        public void setDateHeader(String name, long date) {
        }

        @Override
        public void addDateHeader(String name, long date) {
        }

        @Override
        public void setIntHeader(String name, int value) {
        }

        @Override
        public void addIntHeader(String name, int value) {
        }

        @Override
        public void addCookie(jakarta.servlet.http.Cookie cookie) {
        }

        @Override
        public void setLocale(java.util.Locale locale) {
        }

        @Override
        public void setBufferSize(int size) {
        }

        @Override
        public void reset() {
        }

        @Override
        public void resetBuffer() {
        }

        @Override
        public void sendRedirect(String location) {
            this.status = 302;
        }

        @Override
        public java.util.Collection<String> getHeaders(String name) {
            return headers.containsKey(name) ? java.util.List.of(headers.get(name)) : java.util.List.of();
        }

        @Override
        public java.util.Collection<String> getHeaderNames() {
            return headers.keySet();
        }

        @Override
        public boolean containsHeader(String name) {
            return headers.containsKey(name);
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public void setContentLength(int length) {
        }

        @Override
        public void setContentLengthLong(long length) {
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void flushBuffer() {
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return JsonRpcErrors.DISCARD;
        }

        @Override
        public PrintWriter getWriter() {
            return new PrintWriter(java.io.OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        }
    }
}

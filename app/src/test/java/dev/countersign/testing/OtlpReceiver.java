package dev.countersign.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector as far as a test needs one: {@code POST /v1/traces} in OTLP/HTTP protobuf, each span's trace
 * id, span id, parent and name read straight off the wire format (ExportTraceServiceRequest → ResourceSpans(1) →
 * ScopeSpans(2) → Span(2): trace_id 1, span_id 2, parent_span_id 4, name 5), so no generated classes are needed.
 */
public final class OtlpReceiver implements AutoCloseable {

    public record Span(String traceId, String spanId, String parentSpanId, String name) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                byte[] bytes = body.readAllBytes();
                for (byte[] resourceSpans : fields(bytes, 1)) {
                    for (byte[] scopeSpans : fields(resourceSpans, 2)) {
                        for (byte[] span : fields(scopeSpans, 2)) {
                            spans.add(new Span(hex(first(span, 1)), hex(first(span, 2)), hex(first(span, 4)),
                                    new String(first(span, 5), StandardCharsets.UTF_8)));
                        }
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? null : HexFormat.of().formatHex(bytes);
    }

    private static byte[] first(byte[] message, int field) {
        List<byte[]> found = fields(message, field);
        return found.isEmpty() ? new byte[0] : found.getFirst();
    }

    /** The length-delimited values of one field of a protobuf message; every other field is skipped. */
    private static List<byte[]> fields(byte[] message, int wanted) {
        var in = new ByteArrayInputStream(message);
        List<byte[]> values = new java.util.ArrayList<>();
        while (in.available() > 0) {
            long key = varint(in);
            int field = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> varint(in);
                case 1 -> readN(in, 8);
                case 5 -> readN(in, 4);
                case 2 -> {
                    byte[] value = readN(in, (int) varint(in));
                    if (field == wanted) {
                        values.add(value);
                    }
                }
                default -> throw new IllegalStateException("unexpected protobuf wire type " + (key & 7));
            }
        }
        return values;
    }

    private static byte[] readN(ByteArrayInputStream in, int length) {
        byte[] value = new byte[length];
        if (in.read(value, 0, length) != length) {
            throw new IllegalStateException("truncated protobuf field");
        }
        return value;
    }

    private static long varint(InputStream in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (b < 0) {
                throw new IllegalStateException("truncated varint");
            }
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("varint too long");
    }
}

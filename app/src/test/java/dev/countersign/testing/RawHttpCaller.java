package dev.countersign.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that sends the same request again and again and reads only
 * the status line and headers it needs: a caller that costs the machine almost nothing, so that
 * a flood test running client and server on two cores measures the server, not the client.
 */
public final class RawHttpCaller implements AutoCloseable {

    public record Answer(int status, String retryAfter, String body) {
    }

    private final byte[] before;
    private final byte[] after;
    private final String keyPrefix;
    private long calls;
    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** Each call carries {@code Idempotency-Key: <idempotencyKeyPrefix>-<n>}, a new key every time. */
    public RawHttpCaller(int port, String method, String path, String bearer, String idempotencyKeyPrefix, String body) {
        this.host = "localhost";
        this.port = port;
        this.keyPrefix = idempotencyKeyPrefix;
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        this.before = (method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: Bearer " + bearer
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\nIdempotency-Key: ")
                .getBytes(StandardCharsets.US_ASCII);
        this.after = ("\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    public Answer call() {
        try {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            out.write(before);
            out.write((keyPrefix + "-" + ++calls).getBytes(StandardCharsets.US_ASCII));
            out.write(after);
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    private Answer read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = -1;
        boolean chunked = false;
        boolean closing = false;
        String retryAfter = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closing = value.equalsIgnoreCase("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        var body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        if (closing) {
            close();
        }
        return new Answer(status, retryAfter, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        var line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            socket = null;
        }
    }
}

package dev.countersign.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 spoken by hand, for what a client library hides: a request whose body is announced but never sent. */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends only the head of a JSON {@code POST} that announces a 100-byte body, and returns the head of the answer
     * (status line and headers), which the server sends without waiting for the body when it refuses the call.
     */
    public static String answerWithoutBody(int port, String path, String authorization) throws IOException {
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization + "\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nIdempotency-Key: k-1\r\n"
                    + "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(1024), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? answer : answer.substring(0, end);
        }
    }
}

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
        return answer(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization + "\r\n"
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nIdempotency-Key: k-1\r\n"
                + "Content-Length: 100\r\n\r\n");
    }

    /** Sends {@code request} as it is and returns the head of the answer (status line and headers). */
    public static String answer(int port, String request) throws IOException {
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            var in = socket.getInputStream();
            var head = new StringBuilder();
            // Up to the blank line: the body is not needed, and a kept-alive connection sends nothing after it.
            while (head.indexOf("\r\n\r\n") < 0) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                head.append((char) next);
            }
            int end = head.indexOf("\r\n\r\n");
            return end < 0 ? head.toString() : head.substring(0, end);
        }
    }
}

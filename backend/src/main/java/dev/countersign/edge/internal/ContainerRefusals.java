package dev.countersign.edge.internal;

import dev.countersign.common.ProblemHandler;
import dev.countersign.common.Problems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Jetty refuses itself, before any servlet runs (an ambiguous path such as {@code ..;/}, a
 * malformed request line, headers over the limit), answers like every other refusal: a problem
 * with a code, not Jetty's HTML page. Refusals inside the application never get here; Spring's
 * error handling answers those.
 */
@Component
class ContainerRefusals implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {

    private final JsonMapper json;
    private final DataSize headerLimit;

    ContainerRefusals(JsonMapper json, ObjectProvider<ServerProperties> server) {
        this.json = json;
        // What the refusal tells the client is the limit this server was given (Spring Boot's default: 8 KiB).
        this.headerLimit = Optional.ofNullable(server.getIfAvailable()).map(ServerProperties::getMaxHttpRequestHeaderSize)
                .orElse(DataSize.ofKilobytes(8));
    }

    @Override
    public void customize(JettyServletWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.setErrorHandler(new ProblemErrorHandler(json, headerLimit)));
    }

    static final class ProblemErrorHandler extends ErrorHandler {

        private final JsonMapper json;
        private final String headerLimit;

        ProblemErrorHandler(JsonMapper json, DataSize headerLimit) {
            this.json = json;
            this.headerLimit = headerLimit.toBytes() % 1024 == 0 ? headerLimit.toKilobytes() + " KiB" : headerLimit.toBytes() + " bytes";
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        }

        /** A request so malformed that Jetty could not parse it into one. */
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            return ByteBuffer.wrap(body(status, reason));
        }

        private byte[] body(int code, String message) {
            HttpStatusCode status = HttpStatusCode.valueOf(code);
            ProblemDetail problem = Problems.of(status, ProblemHandler.codeFor(status), (message == null ? "Refused" : message)
                    + (status.is4xxClientError() ? ": the request was refused before it reached Countersign; send a well-formed "
                    + "HTTP/1.1 request with a plain path (no .., ; or encoded slashes) and headers under " + headerLimit : ""));
            return json.writeValueAsBytes(problem);
        }
    }
}

package dev.countersign.common;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API, ours and the framework's (405, 415, 404, 400 …), leaves as
 * {@code application/problem+json} with a {@code code}, so a client needs one error parser.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final io.micrometer.core.instrument.Counter outageRefusals;

    public ProblemHandler(io.micrometer.core.instrument.MeterRegistry meters) {
        this.outageRefusals = io.micrometer.core.instrument.Counter.builder("countersign.database.refusals")
                .description("Calls answered 503 service_unavailable because the database could not serve them (outage, lock, slow statement)")
                .register(meters);
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> refused(ApiProblem failure, HttpServletRequest request) {
        return ResponseEntity.status(failure.status()).headers(closingIfBodyUnread(request)).body(Problems.of(failure));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure, HttpServletRequest request) {
        if (DatabaseUnavailable.is(failure)) {
            // Per request, so only at debug: the decision listener and the pool say once that the database is away.
            log.debug("Database unavailable: {} {}", failure.getClass().getSimpleName(), DatabaseUnavailable.rootMessage(failure));
            outageRefusals.increment();
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "2").headers(closingIfBodyUnread(request))
                    .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
                            "Countersign's database cannot serve this just now (unreachable, or a lock or a slow statement held it "
                                    + "too long). Retry in a few seconds; retrying an ask with the same "
                                    + "Idempotency-Key is safe: it answers with the request if it was stored, and stores it once if not"));
        }
        log.error("Unexpected failure", failure);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).headers(closingIfBodyUnread(request)).body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal_error", "Something went wrong on our side; the request can be retried safely with the same Idempotency-Key"));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = Problems.of(statusCode, codeFor(statusCode), detailFor(ex, body, statusCode));
        HttpHeaders answered = new HttpHeaders();
        answered.addAll(headers);
        if (request instanceof ServletWebRequest servlet) {
            answered.addAll(closingIfBodyUnread(servlet.getRequest()));
        }
        return super.handleExceptionInternal(ex, problem, answered, statusCode, request);
    }

    /**
     * {@code Connection: close} when the call is refused before its body was read. Spring writes and flushes the
     * problem at once, so Jetty can no longer add that header itself when it finds the body unread at the end; it
     * then drops the connection after the answer, and a client that reused it for its next call got no answer.
     */
    private static HttpHeaders closingIfBodyUnread(HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (request.getContentLengthLong() != 0 && !bodyRead(request)) {
            headers.set(HttpHeaders.CONNECTION, "close");
        }
        return headers;
    }

    private static boolean bodyRead(HttpServletRequest request) {
        try {
            return request.getInputStream().isFinished();
        } catch (IllegalStateException readAsText) {
            // Read through getReader(): read, as far as this is concerned.
            return true;
        } catch (java.io.IOException unreadable) {
            return false;
        }
    }

    private static String detailFor(Exception ex, Object body, HttpStatusCode status) {
        if (body instanceof ProblemDetail detail && detail.getDetail() != null) {
            return detail.getDetail();
        }
        return ex.getMessage() != null ? ex.getMessage() : HttpStatus.valueOf(status.value()).getReasonPhrase();
    }

    public static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "validation_failed";
            default -> status.is5xxServerError() ? "internal_error" : "bad_request";
        };
    }
}

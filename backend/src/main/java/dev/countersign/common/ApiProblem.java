package dev.countersign.common;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the API answers with an RFC 9457 problem. {@code code} is part of the contract
 * (docs/api.md): clients switch on it, so it never changes once published.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiProblem(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public static ApiProblem validation(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid; see errors";
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed", detail, Map.of("errors", errors));
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not_found", what + " was not found");
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /**
     * One invalid field: its name (dotted, {@code amount.value}), what is wrong with it, and for
     * errors inside {@code arguments} the RFC 6901 JSON pointer into the request body
     * ({@code /arguments/amount}).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, String pointer) {

        public FieldError(String field, String message) {
            this(field, message, null);
        }

        /** An error at a JSON pointer inside the request body: its field is the pointer's dotted form. */
        public static FieldError at(String pointer, String message) {
            String field = pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~");
            return new FieldError(field, message, pointer);
        }
    }
}

package dev.countersign.apidocs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one operation is documented beyond what the controller's signature tells: its tag, name, the statuses it answers
 * on success and the problem codes it can answer with (each code's status from {@link ErrorCodes}).
 *
 * @param example a request body from the README's walk-through, or null
 */
record DocumentedOperation(String method, String path, String tag, String operationId, String summary, String description,
                           Map<Integer, String> successes, List<String> codes, Object example) {

    DocumentedOperation {
        successes = new LinkedHashMap<>(successes);
        codes = List.copyOf(codes);
    }

    String key() {
        return method + " " + path;
    }

    /** Served without a token: the well-known documents (the grants' keys). */
    boolean open() {
        return path.startsWith("/.well-known/");
    }
}

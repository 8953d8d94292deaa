package dev.countersign.client;

import tools.jackson.databind.JsonNode;

/**
 * Countersign refused a call: the problem's HTTP status and its stable {@code code} (docs/api.md, "Error codes").
 * Decide by {@link #code()}, never by the message.
 */
public class CountersignProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final transient JsonNode problem;

    public CountersignProblem(int status, String code, String detail, JsonNode problem) {
        super(status + " " + code + ": " + detail);
        this.status = status;
        this.code = code;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The whole problem document: {@code errors}, {@code mismatches} and the like where the code has them. */
    public JsonNode problem() {
        return problem;
    }
}

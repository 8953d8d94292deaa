package dev.countersign.client;

/** Countersign could not be reached, or stayed unavailable (503, 429) until the caller's deadline: nothing is known to have run. */
public class CountersignUnavailable extends RuntimeException {

    public CountersignUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}

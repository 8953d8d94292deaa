package dev.countersign.client;

/** Where a caller's bearer token comes from: a fixed token, or {@link ClientCredentials} that fetch and renew one. */
@FunctionalInterface
public interface TokenSource {

    String token();

    static TokenSource of(String token) {
        return () -> token;
    }
}

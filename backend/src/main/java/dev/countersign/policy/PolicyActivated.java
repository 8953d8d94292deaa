package dev.countersign.policy;

/** An admin put a new policy version in force ({@code version}: the hash decisions record). */
public record PolicyActivated(String version, String by) {
}

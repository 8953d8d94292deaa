package dev.countersign.catalog;

/** An admin put a new tool catalog version in force ({@code version}: the hash decisions record). */
public record CatalogActivated(String version, String by) {
}

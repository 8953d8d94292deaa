package dev.countersign.catalog;

import dev.countersign.documents.ActiveDocument;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code countersign.catalog.*}: {@code location}, a Spring resource ({@code classpath:…} or
 * {@code file:…}) holding the YAML tool catalog; {@code source}: {@code database} (the file seeds
 * version 1, admins edit and activate versions in the console) or {@code file} (the file is the
 * only source, for teams that keep it in Git; the console shows it read-only).
 */
@ConfigurationProperties("countersign.catalog")
public record CatalogProperties(@DefaultValue("classpath:catalog/demo-catalog.yaml") String location,
                                @DefaultValue("database") ActiveDocument.Source source) {
}

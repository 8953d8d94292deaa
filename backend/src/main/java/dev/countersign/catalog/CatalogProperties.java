package dev.countersign.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code countersign.catalog.location}: a Spring resource ({@code classpath:…} or {@code file:…}) holding the YAML tool catalog. */
@ConfigurationProperties("countersign.catalog")
public record CatalogProperties(@DefaultValue("classpath:catalog/demo-catalog.yaml") String location) {
}

package dev.countersign.catalog;

import java.math.BigDecimal;

/**
 * What a call does, as the catalog derives it from the call's arguments: the only facts policy,
 * the console and Slack ever see. A fact the catalog entry does not derive is null.
 *
 * @param entry the catalog entry that matched (a tool name or a glob)
 */
public record DerivedFacts(String category, String dataClassification, String environment, String resource,
                           BigDecimal amount, String currency, String entry, String catalogVersion) {
}

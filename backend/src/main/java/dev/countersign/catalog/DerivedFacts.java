package dev.countersign.catalog;

import java.math.BigDecimal;

/**
 * What a call does, as the catalog derives it from the call's arguments: the only facts policy,
 * the console and Slack ever see. A fact the catalog entry does not derive is null.
 *
 * <p>Every fact fits the column that stores it: a value out of bounds is refused as the agent's
 * mistake (a {@code 422}) before any statement runs, never left for the database to reject.
 *
 * @param entry the catalog entry that matched (a tool name or a glob)
 * @param payee who receives the money or the data (a payment's beneficiary account), for the approver's eyes
 */
public record DerivedFacts(String category, String dataClassification, String environment, String resource,
                           BigDecimal amount, String currency, String entry, String catalogVersion, String payee) {

    public DerivedFacts(String category, String dataClassification, String environment, String resource,
                        BigDecimal amount, String currency, String entry, String catalogVersion) {
        this(category, dataClassification, environment, resource, amount, currency, entry, catalogVersion, null);
    }

    /** The longest environment (the {@code environment} column). */
    public static final int MAX_ENVIRONMENT = 128;
    /** The longest resource (the {@code resource} column). */
    public static final int MAX_RESOURCE = 1024;
    /** Digits before the decimal point an amount may have; the column holds the plain form with its point. */
    public static final int MAX_AMOUNT_INTEGER_DIGITS = 30;
    /** Digits after the decimal point an amount may have. */
    public static final int MAX_AMOUNT_DECIMALS = 18;

    public DerivedFacts {
        if (environment != null && environment.length() > MAX_ENVIRONMENT || resource != null && resource.length() > MAX_RESOURCE
                || payee != null && payee.length() > MAX_RESOURCE
                || amount != null && !fits(amount)) {
            throw new IllegalArgumentException("Derived facts out of bounds; CompiledCatalog refuses them before they get here");
        }
    }

    /** A non-negative amount with at most 30 digits before the point and 18 after it (trailing zeros not counted). */
    public static boolean fits(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return amount.signum() >= 0 && Math.max(stripped.scale(), 0) <= MAX_AMOUNT_DECIMALS
                && stripped.precision() - stripped.scale() <= MAX_AMOUNT_INTEGER_DIGITS;
    }
}

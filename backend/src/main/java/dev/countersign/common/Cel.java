package dev.countersign.common;

import dev.cel.common.CelOptions;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The one CEL set-up that the catalog's facts and the policy's conditions share: standard macros
 * ({@code has}, {@code exists}, …), numbers compared across int and double (so {@code amount < 50}
 * means what it says), and a bound on comprehensions so that no expression runs long.
 */
public final class Cel {

    public static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(10_000)
            .build();

    public static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Cel() {
    }

    public static CelCompilerBuilder compiler() {
        return CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    }

    /**
     * JSON as CEL sees it: integers as {@code int} (Java long), other numbers as {@code double},
     * null as CEL's null, strings {@link #plain plain}. The arguments are I-JSON by then, so no number changes on the way.
     */
    public static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(entry -> map.put(entry.getKey(), value(entry.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.values().forEach(element -> list.add(value(element)));
            return list;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return plain(node.asString());
    }

    /**
     * Text as rules read it, spelled the one way people read it: Unicode NFKC (full-width and
     * compatibility forms become their plain letters), without invisible format characters
     * (zero-width spaces and joiners, the byte order mark, soft hyphens), variation selectors or
     * surrounding white space. Otherwise {@code " prod-main"}, {@code "ｐrod-main"} or
     * {@code "prod\u200B-main"} would fail {@code startsWith('prod-')} while an approver reads
     * {@code prod-main}.
     */
    public static String plain(String text) {
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder kept = new StringBuilder(compatible.length());
        compatible.codePoints().filter(c -> !invisible(c)).forEach(kept::appendCodePoint);
        return kept.toString().strip();
    }

    /** Format characters (Cf), the combining grapheme joiner and variation selectors: nothing a reader sees. */
    private static boolean invisible(int c) {
        return Character.getType(c) == Character.FORMAT || c == 0x034F || c >= 0xFE00 && c <= 0xFE0F || c >= 0xE0100 && c <= 0xE01EF;
    }

    /** Where a CEL problem is, in words people can find: "line 1, column 12". */
    public static String position(dev.cel.common.CelValidationException e) {
        return e.getErrors().isEmpty() ? "" : e.getErrors().getFirst().getSourceLocation().getLine() + ":"
                + (e.getErrors().getFirst().getSourceLocation().getColumn() + 1);
    }
}

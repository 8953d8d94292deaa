package dev.countersign.catalog.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.countersign.catalog.ActionCategories;
import dev.countersign.catalog.DerivedFacts;
import dev.countersign.catalog.DiscoveredTools;
import dev.countersign.catalog.ToolCatalog;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.common.Cel;
import dev.countersign.documents.YamlDocuments;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One catalog version, validated and compiled: every schema checked against the 2020-12
 * meta-schema, every fact expression type-checked. Immutable; {@link ActiveCatalog} swaps it
 * when another version is put in force. A catalog with a mistake never compiles, so it can
 * neither start the product nor be activated.
 */
final class CompiledCatalog implements ToolCatalog {

    private static final Pattern DECIMAL = Pattern.compile("\\d{1,30}(\\.\\d{1,18})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    /** Schemas never fetch anything: a {@code $ref} to a URL is refused at load, not followed at run time. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
            .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build())
            .schemaLoader(loader -> loader.fetchRemoteResources(false)));

    private static final CelCompiler FACTS = Cel.compiler()
            .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("tool", SimpleType.STRING)
            .build();

    private static final Schema ANY_OBJECT = SCHEMAS.getSchema(SchemaLocation.of("urn:countersign:discovered:any-object"),
            JsonMapper.shared().readTree("{\"type\":\"object\"}"));

    private final List<CatalogTool> tools;
    private final String version;
    private final String source;

    /** @param where how people find this text ("version 3", a file location), for error messages */
    CompiledCatalog(YamlDocuments.Source source, String where) {
        this.source = source.text();
        this.version = source.version();
        this.tools = parse(this.source, where);
    }

    int size() {
        return tools.size();
    }

    static List<CatalogTool> parse(String yaml, String location) {
        CatalogDocument document = YamlDocuments.read(yaml, CatalogDocument.class, "Tool catalog", location);
        if (document == null || document.tools() == null) {
            throw new IllegalStateException("Tool catalog " + location + " has no 'tools:' list");
        }
        List<CatalogTool> tools = new ArrayList<>();
        for (var doc : document.tools()) {
            tools.add(tool(doc, location));
        }
        return List.copyOf(tools);
    }

    private static CatalogTool tool(CatalogDocument.ToolDocument doc, String location) {
        if (doc.name() == null || !doc.name().matches("[A-Za-z0-9._*-]{1,128}")) {
            throw new IllegalStateException("Tool catalog " + location + ": every entry needs a name (a tool name or a glob such as db.*), not '"
                    + doc.name() + "'");
        }
        String where = "Tool catalog " + location + ", entry '" + doc.name() + "': ";
        if (doc.category() == null || !ActionCategories.ALL.contains(doc.category())) {
            throw new IllegalStateException(where + "category must be one of " + ActionCategories.ALL);
        }
        if (doc.dataClassification() == null || !ActionCategories.CLASSIFICATIONS.contains(doc.dataClassification())) {
            throw new IllegalStateException(where + "dataClassification must be one of " + ActionCategories.CLASSIFICATIONS);
        }
        if (doc.arguments() == null || !doc.arguments().isObject()) {
            throw new IllegalStateException(where + "arguments must be a JSON Schema object (e.g. {type: object})");
        }
        List<Error> schemaErrors = SCHEMAS.getSchema(SchemaLocation.of(META_SCHEMA)).validate(doc.arguments());
        if (!schemaErrors.isEmpty()) {
            throw new IllegalStateException(where + "arguments is not a valid JSON Schema (2020-12): " + schemaErrors);
        }
        String remote = remoteReference(doc.arguments(), "");
        if (remote != null) {
            throw new IllegalStateException(where + "arguments refers outside the schema (" + remote + "); Countersign fetches nothing, "
                    + "so write the referenced schema under $defs and refer to it as #/$defs/<name>");
        }
        Schema schema;
        try {
            schema = SCHEMAS.getSchema(SchemaLocation.of("urn:countersign:catalog:" + doc.name()), doc.arguments());
            schema.validate(doc.arguments()); // resolves every $ref now, so a broken one fails the load
        } catch (RuntimeException e) {
            throw new IllegalStateException(where + "arguments schema cannot be used: " + e.getMessage(), e);
        }
        Map<String, CelRuntime.Program> facts = new LinkedHashMap<>();
        java.util.Set<String> reads = new java.util.TreeSet<>();
        (doc.facts() == null ? Map.<String, String>of() : doc.facts()).forEach((fact, expression) -> {
            if (!CatalogTool.FACTS.contains(fact)) {
                throw new IllegalStateException(where + "unknown fact '" + fact + "' (facts: " + CatalogTool.FACTS + ")");
            }
            try {
                var ast = FACTS.compile(expression).getAst();
                reads.addAll(FactInputs.read(ast));
                facts.put(fact, Cel.RUNTIME.createProgram(ast));
            } catch (CelValidationException e) {
                throw new IllegalStateException(where + "fact '" + fact + "' at " + Cel.position(e) + ": " + e.getMessage()
                        + " (a constant is a CEL literal, e.g. \"'prod'\")", e);
            } catch (CelEvaluationException e) {
                throw new IllegalStateException(where + "fact '" + fact + "': " + e.getMessage(), e);
            }
        });
        return new CatalogTool(doc.name(), doc.category(), doc.dataClassification(), schema, Map.copyOf(facts),
                reads.containsAll(FactInputs.ALL) ? FactInputs.ALL : java.util.Set.copyOf(reads), Boolean.TRUE.equals(doc.foldCase()),
                description(doc.description()));
    }

    /**
     * An entry for a tool an upstream described, not an admin. Its schema is the upstream's input
     * schema when that compiles (any dialect the validator knows, nothing fetched), else any object.
     */
    static CatalogTool discovered(DiscoveredTools.DiscoveredTool tool) {
        Schema schema;
        try {
            if (remoteReference(tool.arguments(), "") != null) {
                throw new IllegalArgumentException("refers outside the schema");
            }
            schema = SCHEMAS.getSchema(SchemaLocation.of("urn:countersign:discovered:" + tool.name()), tool.arguments());
            schema.validate(tool.arguments());
        } catch (RuntimeException e) {
            schema = ANY_OBJECT;
        }
        return new CatalogTool(tool.name(), tool.category(), tool.dataClassification(), schema, Map.of(), java.util.Set.of(), false,
                description(tool.description()));
    }

    /**
     * The first reference that leaves the schema ({@code $ref}, {@code $dynamicRef} or {@code $recursiveRef} not starting
     * with {@code #}), as {@code pointer: value}, or {@code null}. Validating the schema against itself resolves only
     * the references the schema's own shape reaches; one under a property it lacks stayed unresolved until an agent's
     * arguments reached it, and the ask then failed with a 500.
     */
    static String remoteReference(JsonNode schema, String pointer) {
        if (schema == null) {
            return null;
        }
        if (schema.isObject()) {
            for (var entry : schema.properties()) {
                String at = pointer + "/" + entry.getKey().replace("~", "~0").replace("/", "~1");
                if (List.of("$ref", "$dynamicRef", "$recursiveRef").contains(entry.getKey())
                        && !(entry.getValue().isString() && entry.getValue().asString().startsWith("#"))) {
                    return at + ": " + entry.getValue();
                }
                String inner = remoteReference(entry.getValue(), at);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (schema.isArray()) {
            for (int i = 0; i < schema.size(); i++) {
                String inner = remoteReference(schema.get(i), pointer + "/" + i);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    @Override
    public DerivedFacts derive(String tool, JsonNode arguments) {
        return derive(tool, arguments, name -> java.util.Optional.empty());
    }

    /** As {@link #derive(String, JsonNode)}, falling back to a discovered entry where no entry of this catalog covers the tool. */
    DerivedFacts derive(String tool, JsonNode arguments, java.util.function.Function<String, java.util.Optional<CatalogTool>> discovered) {
        CatalogTool entry = entryFor(tool, discovered);
        List<FieldError> errors = new ArrayList<>();
        for (Error error : entry.arguments().validate(arguments)) {
            String pointer = "/arguments" + error.getInstanceLocation();
            if (error.getProperty() != null && ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))) {
                pointer += "/" + error.getProperty().replace("~", "~0").replace("/", "~1");
            }
            errors.add(FieldError.at(pointer, error.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args = FactInputs.of((Map<String, Object>) Cel.value(arguments), entry.reads(), entry.foldCase(), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        Map<String, Object> variables = Map.of("args", args, "tool", tool);
        Map<String, Object> facts = new LinkedHashMap<>();
        entry.facts().forEach((fact, program) -> {
            try {
                Object value = program.eval(variables);
                if (!(value instanceof dev.cel.common.values.NullValue)) {
                    facts.put(fact, value);
                }
            } catch (CelEvaluationException e) {
                errors.add(new FieldError("arguments", "the catalog cannot derive '" + fact + "' for " + tool + " from these arguments ("
                        + e.getMessage() + "); send the arguments the tool's schema describes", "/arguments"));
            }
        });
        BigDecimal amount = amount(facts.get("amount"), tool, errors);
        String currency = text(facts.get("currency"), "currency", 8, tool, errors);
        if (currency != null) {
            currency = currency.toUpperCase(Locale.ROOT);
            if (!CURRENCY.matcher(currency).matches()) {
                errors.add(new FieldError("arguments", "the currency derived for " + tool + " ('" + currency
                        + "') is not an ISO 4217 code such as EUR", "/arguments"));
            }
        }
        String environment = text(facts.get("environment"), "environment", DerivedFacts.MAX_ENVIRONMENT, tool, errors);
        String resource = text(facts.get("resource"), "resource", DerivedFacts.MAX_RESOURCE, tool, errors);
        String payee = text(facts.get("payee"), "payee", DerivedFacts.MAX_RESOURCE, tool, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new DerivedFacts(entry.category(), entry.dataClassification(),
                environment == null ? null : environment.toLowerCase(Locale.ROOT), resource, amount, currency, entry.name(), version, payee);
    }

    /** The words of the entry that covers {@code tool}, at most 500 characters; empty for a tool it does not know. */
    java.util.Optional<String> describe(String tool, java.util.function.Function<String, java.util.Optional<CatalogTool>> discovered) {
        try {
            return java.util.Optional.ofNullable(entryFor(tool, discovered).description());
        } catch (ApiProblem unknown) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public java.util.Optional<String> describe(String tool) {
        return describe(tool, name -> java.util.Optional.empty());
    }

    /** An upstream's description is its author's words: bounded, so a long one cannot push the approver's buttons away. */
    private static String description(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String one = text.strip();
        return one.length() > 500 ? one.substring(0, 500) + "…" : one;
    }

    @Override
    public String entryName(String tool) {
        return entryName(tool, name -> java.util.Optional.empty());
    }

    String entryName(String tool, java.util.function.Function<String, java.util.Optional<CatalogTool>> discovered) {
        try {
            return entryFor(tool, discovered).name();
        } catch (ApiProblem unknown) {
            return "unknown";
        }
    }

    private CatalogTool entryFor(String tool, java.util.function.Function<String, java.util.Optional<CatalogTool>> discovered) {
        return tools.stream().filter(entry -> entry.isExact() && entry.covers(tool)).findFirst()
                .or(() -> tools.stream().filter(entry -> !entry.isExact() && entry.covers(tool)).findFirst())
                .or(() -> discovered.apply(tool))
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_tool",
                        "Tool '" + tool + "' is not in the tool catalog, so Countersign cannot tell what it does; "
                                + "an admin registers it (countersign.catalog.location) before any agent can ask for it",
                        Map.of("tool", tool)));
    }

    private static BigDecimal amount(Object value, String tool, List<FieldError> errors) {
        BigDecimal amount = switch (value) {
            case null -> null;
            case Long whole -> BigDecimal.valueOf(whole);
            case Double number when Double.isFinite(number) -> BigDecimal.valueOf(number);
            case String text when DECIMAL.matcher(text.strip()).matches() -> new BigDecimal(text.strip());
            default -> {
                errors.add(new FieldError("arguments", "the amount derived for " + tool + " ('" + value
                        + "') is not a non-negative decimal such as \"1250.00\"", "/arguments"));
                yield null;
            }
        };
        // A JSON number may be negative or as small as 1e-300: both are refused, not stored or compared as a tiny amount.
        if (amount != null && !DerivedFacts.fits(amount)) {
            errors.add(new FieldError("arguments", "the amount derived for " + tool + " ('" + value + "') must be a non-negative "
                    + "decimal with at most " + DerivedFacts.MAX_AMOUNT_INTEGER_DIGITS + " digits before the point and "
                    + DerivedFacts.MAX_AMOUNT_DECIMALS + " after it, such as \"1250.00\"", "/arguments"));
            return null;
        }
        return amount;
    }

    /** @param maxLength the longest value the fact's column holds, after stripping */
    private static String text(Object value, String fact, int maxLength, String tool, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank() || text.strip().length() > maxLength) {
            String shown = String.valueOf(value);
            errors.add(new FieldError("arguments", "the " + fact + " derived for " + tool + " ('"
                    + (shown.length() > 64 ? shown.substring(0, 64) + "…" : shown) + "') is not a non-empty string of at most "
                    + maxLength + " characters", "/arguments"));
            return null;
        }
        return text.strip();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String source() {
        return source;
    }
}

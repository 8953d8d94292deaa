package dev.countersign.actions.internal;

import dev.countersign.actions.ActionHash;
import dev.countersign.catalog.ActionCategories;
import dev.countersign.common.ApiProblem;
import dev.countersign.common.ApiProblem.FieldError;
import dev.countersign.common.CanonicalJson;
import dev.countersign.common.Sha256;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates an action request body. Malformed JSON (including duplicate keys, which
 * different parsers would read differently) is a 400; a well-formed body with bad fields is a
 * 422 listing every bad field at once, so an integrator fixes them in one go.
 */
@Component
class SubmissionParser {

    /** MCP's tool-name rule (case-sensitive): a gateway tool is {@code <server>.<tool>} with the upstream's spelling kept. */
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,30}(\\.\\d{1,18})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> CATEGORIES = Set.copyOf(ActionCategories.ALL);
    private static final Set<String> CLASSIFICATIONS = Set.copyOf(ActionCategories.CLASSIFICATIONS);
    private static final Set<String> FIELDS = Set.of("tool", "category", "arguments", "resource", "amount", "dataClassification",
            "environment", "justification", "sessionId", "onBehalfOf", "context", "runtime", "repeat");

    private final JsonMapper json;

    SubmissionParser(JsonMapper json) {
        // Floats as BigDecimal: the exact number the agent sent, so that I-JSON can be checked and the approver sees it.
        this.json = json.rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    ActionSubmission parse(byte[] body) {
        JsonNode root;
        try {
            requireUtf8(body);
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        root.propertyNames().forEach(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
            }
        });
        String tool = text(root, "tool", true, 128, errors);
        if (tool != null && !TOOL.matcher(tool).matches()) {
            errors.add(new FieldError("tool", "must be 1-128 of A-Z a-z 0-9 . _ - (MCP's tool-name rule, case-sensitive)"));
        }
        String category = oneOf(root, "category", CATEGORIES, errors);
        JsonNode arguments = root.get("arguments");
        if (arguments == null || arguments.isNull()) {
            errors.add(new FieldError("arguments", "is required (a JSON object, may be empty)"));
        } else if (!arguments.isObject()) {
            errors.add(new FieldError("arguments", "must be a JSON object"));
        }
        // The whole body, not only the arguments: its canonical form (the fingerprint) reads every number as a double.
        inexactNumbers(root, "", errors);
        String resource = text(root, "resource", false, 1024, errors);
        ActionSubmission.Amount amount = amount(root.get("amount"), errors);
        String classification = oneOf(root, "dataClassification", CLASSIFICATIONS, errors);
        String environment = text(root, "environment", false, 128, errors);
        String justification = text(root, "justification", false, 2000, errors);
        String sessionId = text(root, "sessionId", false, 255, errors);
        String onBehalfOf = text(root, "onBehalfOf", false, 320, errors);
        JsonNode repeat = root.get("repeat");
        if (repeat != null && !repeat.isNull() && !repeat.isBoolean()) {
            errors.add(new FieldError("repeat", "must be true (run this action again although people approved it moments ago) or false"));
        }
        JsonNode context = root.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            errors.add(new FieldError("context", "must be a JSON object"));
        }
        dev.countersign.identity.AgentRuntime runtime = runtime(root.get("runtime"), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        String canonicalBody = CanonicalJson.canonicalize(new String(body, StandardCharsets.UTF_8));
        if (canonicalBody.length() > dev.countersign.actions.AgentAsks.MAX_BODY_BYTES) {
            // Stored as it is canonicalised, and RFC 8785 writes numbers out in full (1e20 takes 21 digits).
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "The body is over 64 KiB in its canonical form "
                    + "(RFC 8785 writes every number out in full, so 1e20 counts 21 characters); send large inputs by reference");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args = json.convertValue(arguments, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> stated = context == null || context.isNull() ? null : json.convertValue(context, Map.class);
        return new ActionSubmission(tool, args, arguments, new ActionSubmission.Declared(category, resource, amount, classification, environment),
                justification, sessionId, onBehalfOf, stated, runtime, repeat != null && repeat.asBoolean(false),
                ActionHash.of(json, tool, arguments),
                Sha256.hex(canonicalBody.getBytes(StandardCharsets.UTF_8)),
                canonicalBody);
    }

    /**
     * {@code runtime}: what the agent says it runs as, {@code {"model": {"provider", "name", "version"}, "instructions",
     * "tools", "corpus"}}, every value a string of at most 256 characters (a name, or a digest such as
     * {@code sha256:…}); all optional.
     */
    private static dev.countersign.identity.AgentRuntime runtime(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return dev.countersign.identity.AgentRuntime.NONE;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("runtime", "must be an object {\"model\": {\"provider\", \"name\", \"version\"}, \"instructions\", "
                    + "\"tools\", \"corpus\"}"));
            return dev.countersign.identity.AgentRuntime.NONE;
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        node.propertyNames().forEach(name -> {
            if (!Set.of("model", "instructions", "tools", "corpus").contains(name)) {
                errors.add(new FieldError("runtime." + name, "unknown field (allowed: model, instructions, tools, corpus)"));
            }
        });
        JsonNode model = node.get("model");
        if (model != null && !model.isNull()) {
            if (!model.isObject()) {
                errors.add(new FieldError("runtime.model", "must be an object {\"provider\", \"name\", \"version\"}"));
            } else {
                model.propertyNames().forEach(name -> {
                    if (!Set.of("provider", "name", "version").contains(name)) {
                        errors.add(new FieldError("runtime.model." + name, "unknown field (allowed: provider, name, version)"));
                    }
                });
                for (String part : List.of("provider", "name", "version")) {
                    runtimeText(model, part, "runtime.model." + part, "model." + part, values, errors);
                }
            }
        }
        for (String part : List.of("instructions", "tools", "corpus")) {
            runtimeText(node, part, "runtime." + part, part, values, errors);
        }
        return dev.countersign.identity.AgentRuntime.of(values, Set.of());
    }

    private static void runtimeText(JsonNode node, String field, String pointer, String name, Map<String, String> values,
                                    List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isString() || !dev.countersign.identity.AgentRuntime.acceptable(value.stringValue())) {
            errors.add(new FieldError(pointer, "must be a non-blank string of at most " + dev.countersign.identity.AgentRuntime.MAX_VALUE
                    + " characters, without control characters"));
            return;
        }
        values.put(name, value.stringValue().strip());
    }

    /** JSON between systems is UTF-8 (RFC 8259); anything else is refused before it is read, rather than read as something else. */
    private static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body is not UTF-8; send the JSON object encoded in UTF-8 (RFC 8259)");
        }
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed_json", "The body starts with a byte order mark; send UTF-8 JSON without one (RFC 8259)");
        }
    }

    /**
     * Numbers are I-JSON (RFC 7493): every number must survive a round trip through an IEEE-754
     * double, because the actionHash (RFC 8785) and most tools read numbers as doubles. Otherwise
     * 2^53 and 2^53+1 would be one action to Countersign and two to the tool. Exact large values
     * travel as strings.
     */
    private static void inexactNumbers(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isObject()) {
            node.properties().forEach(entry -> inexactNumbers(entry.getValue(),
                    pointer + "/" + entry.getKey().replace("~", "~0").replace("/", "~1"), errors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                inexactNumbers(node.get(i), pointer + "/" + i, errors);
            }
        } else if (node.isNumber()) {
            BigDecimal exact = node.decimalValue();
            double asDouble = exact.doubleValue();
            if (!Double.isFinite(asDouble) || new BigDecimal(Double.toString(asDouble)).compareTo(exact) != 0) {
                String at = pointer.isEmpty() ? "/" : pointer;
                errors.add(FieldError.at(at, "is a number that an IEEE-754 double cannot hold exactly (I-JSON, RFC 7493); "
                        + "send exact large or precise values as strings"));
            }
        }
    }

    private static String text(JsonNode root, String field, boolean required, int maxLength, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String value = node.stringValue();
        if (value.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
            return null;
        }
        if (required && value.isBlank()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        return value;
    }

    /** A declared fact is compared with the derived one ignoring case and surrounding space, so it is read the same way here. */
    private static String oneOf(JsonNode root, String field, Set<String> allowed, List<FieldError> errors) {
        String text = text(root, field, false, 64, errors);
        String value = text == null ? null : text.strip().toUpperCase(java.util.Locale.ROOT);
        if (value != null && !allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed))));
            return null;
        }
        return value;
    }

    private static ActionSubmission.Amount amount(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("amount", "must be an object {\"value\": \"1250.00\", \"currency\": \"EUR\"}"));
            return null;
        }
        List<FieldError> amountErrors = new ArrayList<>();
        node.propertyNames().forEach(name -> {
            if (!name.equals("value") && !name.equals("currency")) {
                amountErrors.add(new FieldError(name, "unknown field (allowed: value, currency)"));
            }
        });
        String value = text(node, "value", true, 64, amountErrors);
        if (value != null && !DECIMAL.matcher(value).matches()) {
            amountErrors.add(new FieldError("value", "must be a non-negative decimal string such as \"1250.00\""));
        }
        String currency = text(node, "currency", true, 3, amountErrors);
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            amountErrors.add(new FieldError("currency", "must be an ISO 4217 code such as \"EUR\""));
        }
        amountErrors.forEach(error -> errors.add(new FieldError("amount." + error.field(), error.message())));
        return !amountErrors.isEmpty() ? null : new ActionSubmission.Amount(new BigDecimal(value), currency);
    }
}

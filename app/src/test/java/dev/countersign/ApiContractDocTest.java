package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the contract users read: its error-code table must list exactly the codes the
 * code can answer with. The codes are read from the main sources of every module, where they are
 * written: {@code new ApiProblem(HttpStatus.X, "code", …)}, {@code Problems.of(HttpStatus.X,
 * "code", …)} and the framework-error mapping in {@code ProblemHandler.codeFor}.
 */
class ApiContractDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern RAISED = Pattern.compile("(?:ApiProblem|Problems\\.of)\\(\\s*HttpStatus\\.\\w+,\\s*\"([a-z_]+)\"");
    private static final Pattern MAPPED = Pattern.compile("(?:->|\\?|:)\\s*\"([a-z]+(?:_[a-z]+)*)\"");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([a-z_]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

    @Test
    void theErrorCodeTableListsExactlyTheCodesTheApiReturns() throws IOException {
        Set<String> inCode = codesInCode();
        Set<String> documented = documentedCodes();

        assertThat(inCode).as("codes found in the sources").contains("validation_failed", "not_found", "idempotency_key_reused",
                "grant_already_redeemed", "internal_error", "method_not_allowed");
        assertThat(documented).as("codes in docs/api.md's table").isEqualTo(inCode);
    }

    /** The OpenAPI document's problem codes come from {@code apidocs.ErrorCodes}: the same table, code and status. */
    @Test
    void theOpenApiDocumentsCodeTableIsTheSameTable() throws IOException {
        java.util.Map<String, Integer> documented = new java.util.TreeMap<>();
        String doc = Files.readString(ROOT.resolve("docs/api.md"));
        Matcher m = DOCUMENTED.matcher(doc.substring(doc.indexOf("## Error codes")));
        while (m.find()) {
            documented.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        java.util.Map<String, Integer> inOpenApi = new java.util.TreeMap<>();
        dev.countersign.apidocs.ErrorCodes.ALL.values().forEach(code -> inOpenApi.put(code.code(), code.status()));

        assertThat(documented).hasSizeGreaterThan(20);
        assertThat(inOpenApi).isEqualTo(documented);
    }

    private static Set<String> documentedCodes() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/api.md"));
        String table = doc.substring(doc.indexOf("## Error codes"));
        Set<String> codes = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(table);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static Set<String> codesInCode() throws IOException {
        Set<String> codes = new TreeSet<>();
        for (String module : new String[] {"backend", "notifications", "ui", "workflow-flowable", "workflow-camunda"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                    String source = read(file);
                    collect(RAISED, source, codes);
                    if (file.getFileName().toString().equals("ProblemHandler.java")) {
                        String mapping = source.substring(source.indexOf("static String codeFor"));
                        collect(MAPPED, mapping.substring(0, mapping.indexOf("\n    }\n")), codes);
                    }
                });
            }
        }
        return codes;
    }

    private static void collect(Pattern pattern, String source, Set<String> into) {
        Matcher m = pattern.matcher(source);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

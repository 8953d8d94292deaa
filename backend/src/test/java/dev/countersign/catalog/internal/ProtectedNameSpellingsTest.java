package dev.countersign.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.catalog.DerivedFacts;
import dev.countersign.common.ApiProblem;
import dev.countersign.documents.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Another spelling of a protected name never classifies lower: {@code prod-main} written with
 * surrounding or invisible characters, in another case, in full-width or mathematical letters, or
 * with look-alike letters from other scripts is either classified {@code prod} or refused. Checked
 * against the demo catalog (whose names are plain ASCII by schema) and against an entry that has no
 * pattern at all, where only the facts' normalisation stands between the spelling and the rule.
 */
class ProtectedNameSpellingsTest {

    private static final Path DEMO_CATALOG = Path.of("../app/src/main/resources/catalog/demo-catalog.yaml");

    private static final CompiledCatalog WITHOUT_PATTERN = new CompiledCatalog(YamlDocuments.of("""
            tools:
              - name: "db.*"
                category: CHANGE_INFRASTRUCTURE
                dataClassification: RESTRICTED
                arguments: { type: object, required: [database], properties: { database: { type: string } } }
                foldCase: true
                facts:
                  resource: args.database
                  environment: "args.database.startsWith('prod-') ? 'prod' : args.database.startsWith('stg-') ? 'staging' : 'dev'"
            """), "test");

    private static final CompiledCatalog DEMO = demo();

    private static CompiledCatalog demo() {
        try {
            return new CompiledCatalog(YamlDocuments.of(Files.readString(DEMO_CATALOG)), DEMO_CATALOG.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the demo catalog is read from the app module: " + DEMO_CATALOG.toAbsolutePath(), e);
        }
    }

    /** Letters of other scripts (and Unicode's mathematical letters) that read as the Latin letter. */
    private static final Map<Character, List<String>> LOOK_ALIKES = Map.of(
            'p', List.of("\u0440", "\u03C1", "\uD835\uDC29"),          // Cyrillic er, Greek rho, mathematical bold p
            'r', List.of("\u0433", "\uD835\uDC2B"),                    // Cyrillic ghe, mathematical bold r
            'o', List.of("\u043E", "\u03BF", "\u0585", "\uD835\uDC28"), // Cyrillic o, Greek omicron, Armenian oh, bold o
            'd', List.of("\u0501", "\uD835\uDC1D"),                    // Cyrillic komi de, bold d
            'm', List.of("\u043C", "\uD835\uDC26"),
            'a', List.of("\u0430", "\u03B1"),
            'i', List.of("\u0456", "\u03B9"),
            'n', List.of("\u0578", "\u03B7"));
    private static final List<String> INVISIBLE = List.of("\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u034F", "\uFE0F");
    private static final List<String> SPACE = List.of(" ", "\t", "\n", "\u00A0", "\u2003", "\u3000", "\r\n");

    @Property
    void noSpellingOfAProductionDatabaseClassifiesLower(@ForAll("spellings") String database) {
        for (CompiledCatalog catalog : List.of(DEMO, WITHOUT_PATTERN)) {
            assertThat(classify(catalog, database)).as("%s in %s", escaped(database), catalog == DEMO ? "the demo catalog" : "no pattern")
                    .isIn("prod", "refused");
        }
    }

    @Example
    void theSpellingsTheAdversarialPassFoundAreProdOrRefused() {
        for (String database : List.of(" prod-main", "\tprod-main", "PROD-main", "Prod-main", "pr\u043Ed-main", "\uFF50rod-main",
                "\u200Bprod-main")) {
            for (CompiledCatalog catalog : List.of(DEMO, WITHOUT_PATTERN)) {
                assertThat(classify(catalog, database)).as(escaped(database)).isIn("prod", "refused");
            }
        }
        // Without the demo's pattern, the normalisation alone classifies each of these as prod; the Cyrillic one is refused.
        assertThat(List.of(" prod-main", "\tprod-main", "PROD-main", "Prod-main", "\uFF50rod-main", "\u200Bprod-main"))
                .allSatisfy(database -> assertThat(classify(WITHOUT_PATTERN, database)).as(escaped(database)).isEqualTo("prod"));
        assertThat(classify(WITHOUT_PATTERN, "pr\u043Ed-main")).isEqualTo("refused");
        // What approvers see is that same plain spelling.
        assertThat(derive(WITHOUT_PATTERN, "\u200B\uFF50rod-main ").resource()).isEqualTo("prod-main");
    }

    @Example
    void ordinaryNamesStillClassifyAsTheyDid() {
        assertThat(classify(DEMO, "prod-main")).isEqualTo("prod");
        assertThat(classify(DEMO, "stg-orders")).isEqualTo("staging");
        assertThat(classify(DEMO, "dev-sandbox")).isEqualTo("dev");
        // A word in one script, or in a mixture a writing system uses, is a name like any other.
        assertThat(classify(WITHOUT_PATTERN, "данные-main")).isEqualTo("dev");
        assertThat(classify(WITHOUT_PATTERN, "prod-東京データ")).isEqualTo("prod");
    }

    @Provide
    Arbitrary<String> spellings() {
        Arbitrary<List<Integer>> choices = Arbitraries.integers().between(0, 99).list().ofSize("prod-main".length());
        return Combinators.combine(choices, Arbitraries.of(SPACE).list().ofMaxSize(2), Arbitraries.of(SPACE).list().ofMaxSize(2),
                Arbitraries.integers().between(0, 1_000)).as((perLetter, before, after, seed) -> {
            StringBuilder spelled = new StringBuilder(String.join("", before));
            String name = "prod-main";
            for (int i = 0; i < name.length(); i++) {
                char letter = name.charAt(i);
                int choice = perLetter.get(i);
                List<String> alikes = LOOK_ALIKES.getOrDefault(letter, List.of());
                if (choice < 10 && !alikes.isEmpty()) {
                    spelled.append(alikes.get((choice + seed) % alikes.size()));
                } else if (choice < 25) {
                    spelled.append(Character.toUpperCase(letter));
                } else if (choice < 35) {
                    spelled.append((char) (letter + 0xFEE0)); // full-width form of the ASCII letter
                } else {
                    spelled.append(letter);
                }
                if (choice % 7 == 0) {
                    spelled.append(INVISIBLE.get((choice + seed) % INVISIBLE.size()));
                }
            }
            return spelled.append(String.join("", after)).toString();
        });
    }

    private static String classify(CompiledCatalog catalog, String database) {
        try {
            return derive(catalog, database).environment();
        } catch (ApiProblem refused) {
            assertThat(refused.code()).isEqualTo("validation_failed");
            return "refused";
        }
    }

    private static DerivedFacts derive(CompiledCatalog catalog, String database) {
        return catalog.derive("db.drop", JsonNodeFactory.instance.objectNode().put("database", database));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x7F && c >= 0x20 ? String.valueOf((char) c) : "\\u{%X}".formatted(c)));
        return out.toString();
    }
}

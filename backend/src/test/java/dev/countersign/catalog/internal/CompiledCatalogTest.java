package dev.countersign.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.countersign.catalog.DerivedFacts;
import dev.countersign.common.ApiProblem;
import dev.countersign.documents.YamlDocuments;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CompiledCatalogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String CATALOG = """
            tools:
              - name: payments.transfer
                category: SPEND_MONEY
                dataClassification: CONFIDENTIAL
                arguments:
                  type: object
                  required: [from, to, amount]
                  additionalProperties: false
                  properties:
                    from: { type: string }
                    to: { type: string }
                    amount:
                      anyOf:
                        - { type: string, pattern: "^[0-9]+(\\\\.[0-9]+)?$" }
                        - { type: number, exclusiveMinimum: 0 }
                    currency: { type: string }
                facts:
                  amount: args.amount
                  currency: "has(args.currency) ? args.currency : 'EUR'"
                  resource: args.from
                  environment: "'PROD'"
              - name: "db.*"
                category: CHANGE_INFRASTRUCTURE
                dataClassification: RESTRICTED
                arguments: { type: object, required: [database], properties: { database: { type: string } } }
                facts:
                  environment: "args.database.startsWith('prod-') ? 'prod' : 'dev'"
                  resource: args.database
              - name: db.query
                category: READ_SENSITIVE
                dataClassification: CONFIDENTIAL
                arguments: { type: object }
            """;

    @Test
    void factsComeFromTheArgumentsNormalised() throws Exception {
        CompiledCatalog catalog = catalog(CATALOG);

        DerivedFacts facts = catalog.derive("payments.transfer", JSON.readTree("""
                {"from":"acct-ops","to":"acct-vendor","amount":"9000000.00","currency":"usd"}"""));

        assertThat(facts.category()).isEqualTo("SPEND_MONEY");
        assertThat(facts.dataClassification()).isEqualTo("CONFIDENTIAL");
        assertThat(facts.amount()).isEqualByComparingTo("9000000");
        assertThat(facts.currency()).isEqualTo("USD");
        assertThat(facts.environment()).isEqualTo("prod");
        assertThat(facts.resource()).isEqualTo("acct-ops");
        assertThat(facts.catalogVersion()).isEqualTo(catalog.version()).startsWith("sha256:");
    }

    @Test
    void aNumberAndTheSameNumberAsAStringGiveTheSameFacts() throws Exception {
        CompiledCatalog catalog = catalog(CATALOG);
        var asString = catalog.derive("payments.transfer", JSON.readTree("{\"from\":\"a\",\"to\":\"b\",\"amount\":\"1250.00\"}"));
        var asNumber = catalog.derive("payments.transfer", JSON.readTree("{\"to\":\"b\",\"amount\":1250,\"from\":\"a\"}"));

        assertThat(asNumber.amount()).isEqualByComparingTo(asString.amount()).isEqualByComparingTo(new BigDecimal("1250"));
        assertThat(asNumber.currency()).isEqualTo(asString.currency()).isEqualTo("EUR");
    }

    @Test
    void amountsTheColumnCannotHoldOrBelowZeroAreRefusedWithTheLimit() throws Exception {
        CompiledCatalog catalog = catalog(CATALOG.replace("exclusiveMinimum: 0", "maximum: 1.0e40"));
        for (String amount : List.of("1e-63", "1e-300", "1.5e-19", "-5", "-0.5", "1e31")) {
            var refused = catchThrowableOfType(ApiProblem.class, () -> catalog.derive("payments.transfer",
                    JSON.readTree("{\"from\":\"a\",\"to\":\"b\",\"amount\":" + amount + "}")));

            assertThat(refused).as(amount).isNotNull();
            assertThat(refused.code()).isEqualTo("validation_failed");
            assertThat(refused.getMessage() + refused.properties()).as(amount).contains("at most 30 digits before the point and 18 after");
        }
        for (String amount : List.of("1e-18", "1e29", "0", "123456789012345678901234567890.123456789012345678")) {
            var facts = catalog.derive("payments.transfer", JSON.readTree("{\"from\":\"a\",\"to\":\"b\",\"amount\":" + amount + "}"));
            assertThat(facts.amount()).as(amount).isNotNull();
            assertThat(facts.amount().toPlainString().length()).as(amount).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void aDerivedEnvironmentOrResourceLongerThanItsColumnIsRefused() throws Exception {
        CompiledCatalog catalog = catalog(CATALOG);
        String longName = "x".repeat(DerivedFacts.MAX_ENVIRONMENT + 1);
        var environment = catchThrowableOfType(ApiProblem.class, () -> catalog(CATALOG.replace("environment: \"'PROD'\"",
                "environment: args.from")).derive("payments.transfer", JSON.readTree("{\"from\":\"" + longName + "\",\"to\":\"b\",\"amount\":1}")));
        var resource = catchThrowableOfType(ApiProblem.class, () -> catalog.derive("db.drop",
                JSON.readTree("{\"database\":\"" + "d".repeat(DerivedFacts.MAX_RESOURCE + 1) + "\"}")));

        assertThat(environment).isNotNull();
        assertThat(environment.code()).isEqualTo("validation_failed");
        assertThat(environment.properties().toString()).contains("environment", "at most 128 characters");
        assertThat(resource).isNotNull();
        assertThat(resource.properties().toString()).contains("resource", "at most 1024 characters");
        assertThat(catalog.derive("db.drop", JSON.readTree("{\"database\":\"" + "d".repeat(DerivedFacts.MAX_RESOURCE) + "\"}"))
                .resource()).hasSize(DerivedFacts.MAX_RESOURCE);
    }

    @Test
    void anExactNameWinsOverAGlobWhereverItIsWritten() throws Exception {
        CompiledCatalog catalog = catalog(CATALOG);

        assertThat(catalog.derive("db.query", JSON.readTree("{}")).category()).isEqualTo("READ_SENSITIVE");
        DerivedFacts drop = catalog.derive("db.drop_table", JSON.readTree("{\"database\":\"prod-main\"}"));
        assertThat(drop.category()).isEqualTo("CHANGE_INFRASTRUCTURE");
        assertThat(drop.environment()).isEqualTo("prod");
        assertThat(drop.entry()).isEqualTo("db.*");
    }

    @Test
    void aReferenceOutsideTheSchemaIsRefusedWhereverItSitsAndALocalOneWorks() throws Exception {
        // Under a property the schema itself lacks: validating the schema against itself never reached it, so it passed
        // the check and activation, and asks that touched the property answered 500.
        for (String reference : List.of("https://example.com/amount.json", "amount.json", "urn:other#/x")) {
            String catalog = """
                    tools:
                      - name: docs.write
                        category: OTHER
                        dataClassification: PUBLIC
                        arguments:
                          type: object
                          properties:
                            nested: { type: object, properties: { amount: { $ref: "%s" } } }
                    """.formatted(reference);
            assertThatThrownBy(() -> catalog(catalog)).as(reference)
                    .hasMessageContaining("entry 'docs.write'").hasMessageContaining("refers outside the schema")
                    .hasMessageContaining("/properties/nested/properties/amount/$ref").hasMessageContaining("#/$defs/");
        }
        CompiledCatalog local = catalog("""
                tools:
                  - name: docs.write
                    category: OTHER
                    dataClassification: PUBLIC
                    arguments:
                      type: object
                      $defs: { page: { type: integer, minimum: 1 } }
                      properties: { page: { $ref: "#/$defs/page" } }
                """);
        assertThat(local.derive("docs.write", JSON.readTree("{\"page\":3}")).category()).isEqualTo("OTHER");
        assertThat(catchThrowableOfType(ApiProblem.class, () -> local.derive("docs.write", JSON.readTree("{\"page\":0}"))).code())
                .isEqualTo("validation_failed");
    }

    @Test
    void anUpstreamSchemaThatRefersOutsideItselfIsTakenAsAnyObject() throws Exception {
        var discovered = CompiledCatalog.discovered(new dev.countersign.catalog.DiscoveredTools.DiscoveredTool("fs.write_file", "MOVE_DATA",
                "INTERNAL", JSON.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"$ref\":\"https://example.com/p.json\"}}}"), "fs"));
        var facts = catalog(CATALOG).derive("fs.write_file", JSON.readTree("{\"path\":\"/tmp/x\"}"), name -> java.util.Optional.of(discovered));

        assertThat(facts.category()).isEqualTo("MOVE_DATA");
    }

    @Test
    void aToolTheCatalogDoesNotKnowIsRefused() throws Exception {
        var refused = catchThrowableOfType(ApiProblem.class, () -> catalog(CATALOG).derive("payments.refund", JSON.readTree("{}")));

        assertThat(refused.code()).isEqualTo("unknown_tool");
        assertThat(refused.status().value()).isEqualTo(422);
        assertThat(refused.getMessage()).contains("payments.refund").contains("an admin registers it");
    }

    @Test
    void argumentsTheSchemaRefusesAreListedByPointer() throws Exception {
        var refused = catchThrowableOfType(ApiProblem.class, () -> catalog(CATALOG).derive("payments.transfer",
                JSON.readTree("{\"from\":7,\"amount\":\"lots\",\"memo\":\"x\"}")));

        assertThat(refused.code()).isEqualTo("validation_failed");
        @SuppressWarnings("unchecked")
        var errors = (List<ApiProblem.FieldError>) refused.properties().get("errors");
        assertThat(errors).extracting(ApiProblem.FieldError::pointer)
                .contains("/arguments/from", "/arguments/to", "/arguments/amount", "/arguments/memo");
        assertThat(errors).filteredOn(error -> error.pointer().equals("/arguments/to")).singleElement()
                .satisfies(error -> assertThat(error.field()).isEqualTo("arguments.to"));
    }

    @Test
    void mistakesInTheCatalogStopTheStartWithTheEntryAndTheReason() {
        assertThatThrownBy(() -> CompiledCatalog.parse("""
                tools:
                  - { name: x.y, category: SPEND, dataClassification: PUBLIC, arguments: { type: object } }
                """, "c.yaml")).hasMessageContaining("entry 'x.y'").hasMessageContaining("category");
        assertThatThrownBy(() -> CompiledCatalog.parse("""
                tools:
                  - { name: x.y, category: OTHER, dataClassification: PUBLIC, arguments: { type: objekt } }
                """, "c.yaml")).hasMessageContaining("entry 'x.y'").hasMessageContaining("not a valid JSON Schema");
        assertThatThrownBy(() -> CompiledCatalog.parse("""
                tools:
                  - { name: x.y, category: OTHER, dataClassification: PUBLIC, arguments: { type: object },
                      facts: { environment: prod } }
                """, "c.yaml")).hasMessageContaining("entry 'x.y'").hasMessageContaining("fact 'environment' at 1:1")
                .hasMessageContaining("a constant is a CEL literal");
        assertThatThrownBy(() -> CompiledCatalog.parse("""
                tools:
                  - { name: x.y, category: OTHER, dataClassification: PUBLIC, arguments: { type: object }, facts: { owner: "'x'" } }
                """, "c.yaml")).hasMessageContaining("unknown fact 'owner'");
        // A schema never reaches out: a $ref to a URL is refused at load, not fetched.
        assertThatThrownBy(() -> CompiledCatalog.parse("""
                tools:
                  - { name: x.y, category: OTHER, dataClassification: PUBLIC, arguments: { $ref: "http://169.254.169.254/latest" } }
                """, "c.yaml")).hasMessageContaining("entry 'x.y'").hasMessageContaining("refers outside the schema");
    }

    private static CompiledCatalog catalog(String yaml) {
        return new CompiledCatalog(YamlDocuments.of(yaml), "test");
    }
}

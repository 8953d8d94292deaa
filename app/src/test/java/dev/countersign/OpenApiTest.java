package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The OpenAPI document and Swagger UI that docs/api.md links to are served, without a token. */
@EndToEndTest
class OpenApiTest extends EndToEndBase {

    @Test
    void theOpenApiDocumentDescribesTheAgentAndApproverEndpoints() {
        var document = api.get(null, "/v3/api-docs");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body().get("paths").propertyNames())
                .contains("/api/v1/actions", "/api/v1/actions/{id}", "/api/v1/actions/{id}/cancel", "/api/v1/actions/{id}/votes",
                        "/api/v1/approvals", "/api/v1/grants/redeem");
    }

    @Test
    void swaggerUiIsServed() {
        var page = api.get(null, "/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("Swagger UI");
    }
}

package dev.countersign.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What Jetty refuses itself tells the client the limits this server was given, not Spring Boot's defaults. */
class ContainerRefusalsTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void oversizedHeadersAreToldTheConfiguredLimit() {
        for (var limit : new Object[][] {{DataSize.ofKilobytes(8), "8 KiB"}, {DataSize.ofKilobytes(16), "16 KiB"},
                {DataSize.ofBytes(6000), "6000 bytes"}}) {
            var fields = HttpFields.build();
            var body = new ContainerRefusals.ProblemErrorHandler(json, (DataSize) limit[0])
                    .badMessageError(431, "Request Header Fields Too Large", fields);

            JsonNode problem = json.readTree(StandardCharsets.UTF_8.decode(body).toString());
            assertThat(fields.get(HttpHeader.CONTENT_TYPE)).isEqualTo("application/problem+json");
            assertThat(problem.get("status").asInt()).isEqualTo(431);
            assertThat(problem.get("detail").asString()).startsWith("Request Header Fields Too Large: ")
                    .endsWith("headers under " + limit[1]);
        }
    }
}

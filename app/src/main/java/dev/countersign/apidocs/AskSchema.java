package dev.countersign.apidocs;

import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.List;

/** The body of an ask, which the controller reads as bytes (its fingerprint is over exactly what was sent). */
final class AskSchema {

    private AskSchema() {
    }

    static Schema<?> schema() {
        return new ObjectSchema().description("What the agent means to run; facts are derived from it by the tool catalog")
                .addProperty("tool", new StringSchema().pattern("^[A-Za-z0-9._-]{1,128}$").description("A tool registered in the catalog"))
                .addProperty("arguments", new ObjectSchema().description("The exact arguments the tool will run with (I-JSON)"))
                .addProperty("category", new StringSchema()._enum(List.of("MOVE_DATA", "SPEND_MONEY", "CHANGE_INFRASTRUCTURE",
                        "READ_SENSITIVE", "OTHER")).description("Optional; must equal the derived category"))
                .addProperty("resource", new StringSchema().description("Optional; must equal the derived resource"))
                .addProperty("amount", new ObjectSchema().addProperty("value", new StringSchema())
                        .addProperty("currency", new StringSchema()).description("Optional; must equal the derived amount"))
                .addProperty("dataClassification", new StringSchema()._enum(List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED")))
                .addProperty("environment", new StringSchema())
                .addProperty("justification", new StringSchema().maxLength(2000).description("Shown to approvers as the agent's words"))
                .addProperty("sessionId", new StringSchema())
                .addProperty("onBehalfOf", new StringSchema().description("The person the agent acts for: an approver id, user:<id> or e-mail; they cannot approve it"))
                .addProperty("context", new ObjectSchema().description("The agent's own statement about itself (model, prompt version)"))
                .addProperty("runtime", new ObjectSchema().description("What the agent runs as: model {provider, name, version}, "
                        + "digests of instructions, tools and corpus"))
                .addProperty("repeat", new BooleanSchema().description("Run again an action people approved within the replay window"))
                .required(List.of("tool", "arguments"));
    }
}

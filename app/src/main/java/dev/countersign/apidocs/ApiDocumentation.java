package dev.countersign.apidocs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes {@code /v3/api-docs} the contract of docs/api.md rather than what springdoc can guess from signatures: the ask
 * reads its body as bytes (to hash exactly what was sent), so its body is described here; every operation gets each
 * status and problem code it can answer ({@link ApiOperations}); the bearer scheme and tags by resource.
 * ApiStatusesIT fails when the test suite saw an operation answer a status that is not documented here.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String BEARER = "bearer";
    private static final String PROBLEM_JSON = "application/problem+json";
    /** Answered by any operation: the Accept header, and faults. */
    private static final List<String> EVERY_CALL = List.of("not_acceptable", "internal_error", "service_unavailable");
    /** Answered by any operation that needs a token: the token, and the agent's rate limit. */
    private static final List<String> EVERY_TOKEN = List.of("unauthorized", "too_many_requests");
    /** Answered by any operation that reads a JSON body. */
    private static final List<String> EVERY_BODY = List.of("malformed_json", "unsupported_media_type", "payload_too_large");

    @Bean
    OpenAPI countersignOpenApi(@Value("${countersign.api.version:1}") String version) {
        return new OpenAPI()
                .info(new Info().title("Countersign API").version(version).description("""
                        The approval gate between AI agents and the tool calls that can hurt. An agent asks before it \
                        acts (`POST /api/v1/actions`); policy allows, denies, or asks people; the agent waits by \
                        long-poll (`GET /api/v1/actions/{id}?wait=60`) and, when approved, gets a single-use grant \
                        bound to exactly that call, which the tool gateway redeems (`POST /api/v1/grants/redeem`).

                        Every error is RFC 9457 `application/problem+json` with a stable `code`; decide by the code, \
                        never by `detail`. Tokens: `POST /oauth2/token` (client credentials) on the built-in issuer, \
                        or your own OIDC/SPIFFE issuer. Client libraries for Java, TypeScript and Python: docs/clients.md."""))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT").description("An agent's, approver's or tool gateway's access token")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .tags(List.of(
                        new Tag().name("actions").description("An agent asks for a guarded action, waits for the decision, or withdraws it"),
                        new Tag().name("approvals").description("People see what awaits them and vote"),
                        new Tag().name("grants").description("The tool gateway redeems a grant once, just before the tool runs"),
                        new Tag().name("standing-approvals").description("Approvals that stand for the next asks like one"),
                        new Tag().name("documents").description("Versioned policy and tool catalog (admins)"),
                        new Tag().name("audit").description("The hash-chained audit log (admins)")));
    }

    @Bean
    OpenApiCustomizer countersignContract() {
        return api -> {
            Map<String, DocumentedOperation> documented = new LinkedHashMap<>();
            for (DocumentedOperation operation : ApiOperations.ALL) {
                documented.put(operation.key(), operation);
            }
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                DocumentedOperation doc = documented.get(method.name() + " " + path);
                if (doc != null) {
                    document(operation, doc);
                }
            }));
            expandKinds(api);
            // Here rather than on the OpenAPI bean: springdoc writes the schemas it found over the bean's.
            api.getComponents().getSchemas().put("AskForAction", AskSchema.schema());
            api.getComponents().getSchemas().put("Problem", problemSchema());
        };
    }

    /**
     * {@code /api/v1/{kind}} takes only policy or catalog: written out as two paths, so that no path of the document is
     * ambiguous ({@code /api/v1/{kind}/versions} against {@code /api/v1/actions/{id}}) and each operation has its own id.
     */
    private static void expandKinds(OpenAPI api) {
        io.swagger.v3.oas.models.Paths expanded = new io.swagger.v3.oas.models.Paths();
        api.getPaths().forEach((path, item) -> {
            if (!path.contains("{kind}")) {
                expanded.addPathItem(path, item);
                return;
            }
            for (String kind : List.of("policy", "catalog")) {
                PathItem copy = io.swagger.v3.core.util.Json.mapper().convertValue(item, PathItem.class);
                copy.readOperations().forEach(operation -> {
                    operation.setParameters(operation.getParameters() == null ? null : operation.getParameters().stream()
                            .filter(parameter -> !"kind".equals(parameter.getName())).toList());
                    String name = operation.getOperationId().replace("document", "").replace("Document", "");
                    operation.operationId(kind + Character.toUpperCase(name.charAt(0)) + name.substring(1));
                    operation.summary(operation.getSummary() + " (" + kind + ")");
                });
                expanded.addPathItem(path.replace("{kind}", kind), copy);
            }
        });
        api.setPaths(expanded);
    }

    private static void document(Operation operation, DocumentedOperation doc) {
        operation.operationId(doc.operationId()).summary(doc.summary()).description(doc.description()).tags(List.of(doc.tag()));
        if (doc.open()) {
            operation.security(List.of());
        }
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> "Idempotency-Key".equals(p.getName())).forEach(p -> p.required(true)
                    .description("Scoped to the calling agent; reuse it when you retry the same ask. 1-255 visible ASCII characters")
                    .schema(new StringSchema().pattern("^[\\x21-\\x7E]{1,255}$").minLength(1).maxLength(255))
                    .example("pay-inv-2291-attempt-1"));
        }
        if (doc.key().equals("POST /api/v1/actions")) {
            operation.requestBody(new RequestBody().required(true).content(new Content().addMediaType("application/json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/AskForAction")).example(doc.example()))));
        } else if (doc.example() != null && operation.getRequestBody() != null) {
            operation.getRequestBody().required(true).getContent().values().forEach(media -> media.example(doc.example()));
        }
        ApiResponse generated = operation.getResponses() == null ? null : operation.getResponses().get("200");
        ApiResponses responses = new ApiResponses();
        doc.successes().forEach((status, description) -> responses.addApiResponse(String.valueOf(status), success(generated, doc, description)));
        problems(doc, operation.getRequestBody() != null).forEach((status, codes) -> responses.addApiResponse(String.valueOf(status), problem(codes)));
        operation.responses(responses);
    }

    private static ApiResponse success(ApiResponse generated, DocumentedOperation doc, String description) {
        ApiResponse response = new ApiResponse().description(description);
        Content content = generated == null ? null : generated.getContent();
        if (doc.path().startsWith("/api/v1/actions") && !doc.path().endsWith("/votes")) {
            // The wait answers through a DeferredResult, whose type springdoc cannot see: every agent answer is the request.
            content = new Content().addMediaType("application/json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/ActionRequest")));
        }
        if (content != null) {
            content.values().forEach(media -> {
                if (media.getSchema() == null) {
                    media.schema(new ObjectSchema());
                }
            });
        }
        response.content(content);
        if (doc.key().equals("POST /api/v1/actions")) {
            response.addHeaderObject("Location", header("/api/v1/actions/{id}: where to wait for the decision"));
            response.addHeaderObject("Idempotent-Replayed", header("true when this is the answer to an earlier ask with the same key"));
            response.addHeaderObject("Coalesced", header("true when the same action was pending or just approved: no second approval is asked"));
        }
        if (doc.key().equals("GET /api/v1/actions/{id}")) {
            response.addHeaderObject("Preference-Applied", header("wait=N when the wait came from a Prefer header"));
        }
        return response;
    }

    private static Map<Integer, List<ErrorCodes.ErrorCode>> problems(DocumentedOperation doc, boolean readsBody) {
        List<String> codes = new ArrayList<>(doc.codes());
        codes.addAll(EVERY_CALL);
        if (!doc.open()) {
            codes.addAll(EVERY_TOKEN);
        }
        if (readsBody) {
            codes.addAll(EVERY_BODY);
        }
        Map<Integer, List<ErrorCodes.ErrorCode>> byStatus = new TreeMap<>();
        codes.stream().distinct().map(ErrorCodes::of)
                .forEach(code -> byStatus.computeIfAbsent(code.status(), s -> new ArrayList<>()).add(code));
        return byStatus;
    }

    private static ApiResponse problem(List<ErrorCodes.ErrorCode> codes) {
        StringBuilder description = new StringBuilder();
        MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"));
        for (ErrorCodes.ErrorCode code : codes) {
            description.append(description.isEmpty() ? "" : "\n").append("- `").append(code.code()).append("`: ").append(code.when());
            // Made as the API makes its problems, so the example is what a client will read.
            var made = dev.countersign.common.Problems.of(org.springframework.http.HttpStatus.valueOf(code.status()), code.code(), code.when());
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("type", String.valueOf(made.getType()));
            example.put("title", made.getTitle());
            example.put("status", made.getStatus());
            example.put("detail", made.getDetail());
            if (made.getProperties() != null) {
                example.putAll(made.getProperties());
            }
            media.addExamples(code.code(), new Example().summary(code.code()).value(example));
        }
        ApiResponse response = new ApiResponse().description(description.toString())
                .content(new Content().addMediaType(PROBLEM_JSON, media));
        int status = codes.getFirst().status();
        if (status == 429 || status == 503) {
            response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
                    .schema(new IntegerSchema()));
        }
        return response;
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    private static Schema<?> problemSchema() {
        Schema<Object> fieldError = new ObjectSchema().description("One refused field")
                .addProperty("field", new StringSchema()).addProperty("pointer", new StringSchema().description("JSON Pointer inside arguments"))
                .addProperty("message", new StringSchema());
        return new ObjectSchema().description("RFC 9457 problem details with Countersign's stable code")
                .addProperty("type", new StringSchema())
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().description("For people: what went wrong and what to do next"))
                .addProperty("instance", new StringSchema().description("urn:countersign:trace:<trace id>, the X-Request-Id of the answer"))
                .addProperty("code", new StringSchema()._enum(new ArrayList<>(ErrorCodes.ALL.keySet()))
                        .description("Decide by this, never by detail"))
                .addProperty("errors", new ArraySchema().items(fieldError))
                .addProperty("mismatches", new ArraySchema().items(new ObjectSchema()
                        .addProperty("field", new StringSchema()).addProperty("declared", new StringSchema())
                        .addProperty("derived", new StringSchema())))
                .addProperty("problems", new ArraySchema().items(new StringSchema()))
                .addProperty("maxAge", new StringSchema().description("step_up_required: the rule's window, e.g. PT5M"))
                .required(List.of("type", "title", "status", "code"));
    }
}

package dev.countersign.documents.internal;

import dev.countersign.common.ApiProblem;
import dev.countersign.documents.DocumentAdministration;
import dev.countersign.documents.DocumentVersions;
import dev.countersign.identity.Callers;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admins' API for the documents policy decisions rest on: {@code /api/v1/policy} and
 * {@code /api/v1/catalog}, each with its versions, a check of a draft, and activation. Each
 * document is the {@link DocumentAdministration} of its own module, found by its kind.
 */
@RestController
class DocumentsController {

    private final java.util.Map<String, DocumentAdministration> documents;
    private final Callers callers;

    DocumentsController(List<DocumentAdministration> documents, Callers callers) {
        this.documents = documents.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(DocumentAdministration::kind,
                document -> document));
        this.callers = callers;
    }

    record InForce(boolean editable, Integer number, String version, String author, String comment, String activatedBy,
                   java.time.Instant activatedAt, String content) {
    }

    record Draft(String content, String comment) {
    }

    record Check(boolean valid, List<String> problems) {
    }

    @GetMapping("/api/v1/{kind:policy|catalog}")
    InForce inForce(@PathVariable String kind) {
        callers.requireAdmin();
        DocumentAdministration document = document(kind);
        return document.active()
                .map(active -> new InForce(document.editable(), active.version().number(), active.version().hash(), active.version().author(),
                        active.version().comment(), active.activatedBy(), active.activatedAt(), document.source()))
                .orElseGet(() -> new InForce(false, null, dev.countersign.documents.YamlDocuments.of(document.source()).version(), null,
                        null, null, null, document.source()));
    }

    @GetMapping("/api/v1/{kind:policy|catalog}/versions")
    List<DocumentVersions.Version> versions(@PathVariable String kind, @RequestParam(defaultValue = "50") int limit) {
        callers.requireAdmin();
        return document(kind).history(Math.clamp(limit, 1, 200));
    }

    @GetMapping("/api/v1/{kind:policy|catalog}/versions/{number}")
    DocumentVersions.Version version(@PathVariable String kind, @PathVariable int number) {
        callers.requireAdmin();
        return document(kind).version(number).orElseThrow(() -> ApiProblem.notFound(kind + " version " + number));
    }

    /** Compiles the draft and runs the checks, without saving anything. */
    @PostMapping(path = "/api/v1/{kind:policy|catalog}/check", consumes = "application/json")
    Check check(@PathVariable String kind, @RequestBody Draft draft) {
        callers.requireAdmin();
        List<String> problems = document(kind).check(content(draft));
        return new Check(problems.isEmpty(), problems);
    }

    /** Saves the draft as the next version and puts it in force on every instance. */
    @PostMapping(path = "/api/v1/{kind:policy|catalog}/versions", consumes = "application/json")
    ResponseEntity<DocumentVersions.Active> activate(@PathVariable String kind, @RequestBody Draft draft) {
        var admin = callers.requireAdmin();
        if (draft.comment() == null || draft.comment().isBlank() || draft.comment().length() > 2000) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("comment",
                    "is required (at most 2000 characters): say why this version replaces the one in force")));
        }
        var active = document(kind).activate(content(draft), admin.id(), draft.comment().strip());
        return ResponseEntity.created(URI.create("/api/v1/" + kind + "/versions/" + active.version().number())).body(active);
    }

    private DocumentAdministration document(String kind) {
        DocumentAdministration document = documents.get(kind);
        if (document == null) {
            throw ApiProblem.notFound("Document " + kind);
        }
        return document;
    }

    private static String content(Draft draft) {
        if (draft == null || draft.content() == null || draft.content().isBlank()) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("content", "is required: the YAML text of the draft")));
        }
        if (draft.content().length() > 512 * 1024) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "A draft is at most 512 KiB");
        }
        return draft.content();
    }
}

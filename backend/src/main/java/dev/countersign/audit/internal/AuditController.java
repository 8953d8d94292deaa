package dev.countersign.audit.internal;

import dev.countersign.audit.AuditEntry;
import dev.countersign.audit.AuditLog;
import dev.countersign.identity.Callers;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Admin-only reading of the audit chain: pages, JSON Lines export, and verification. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditLog audit;
    private final Callers callers;
    private final JsonMapper json;

    AuditController(AuditLog audit, Callers callers, JsonMapper json) {
        this.audit = audit;
        this.callers = callers;
        this.json = json;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> page(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        callers.requireAdmin();
        List<AuditEntry> items = audit.entries(after, Math.clamp(limit, 1, 1000));
        return items.isEmpty() ? Map.of("items", items)
                : Map.of("items", items, "nextCursor", String.valueOf(items.getLast().seq()));
    }

    @GetMapping(produces = "application/jsonl")
    ResponseEntity<String> export(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "10000") int limit) {
        callers.requireAdmin();
        StringBuilder lines = new StringBuilder();
        audit.entries(after, Math.clamp(limit, 1, 100_000)).forEach(e -> lines.append(json.writeValueAsString(e)).append('\n'));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jsonl")).body(lines.toString());
    }

    /** From the checkpoints, or with {@code full=true} every entry from the first. */
    @GetMapping("/verify")
    AuditLog.Verification verify(@RequestParam(defaultValue = "false") boolean full) {
        callers.requireAdmin();
        return full ? audit.verifyAll() : audit.verify();
    }
}

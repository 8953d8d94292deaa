package dev.countersign.documents;

import dev.countersign.common.ApiProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * An admin document (the policy, the tool catalog) as it is in force on this instance, and its
 * administration: compiled once per version and swapped whole, so a decision sees one version
 * from start to end. From the database (the YAML file seeds version 1, admins save and activate
 * later ones, every instance notices within its refresh interval), or, for teams that keep it in
 * Git, from the file alone. Subclasses add what the document does, and checks of their own.
 *
 * @param <T> the compiled document
 */
public abstract class ActiveDocument<T> implements DocumentAdministration {

    private static final Logger log = LoggerFactory.getLogger(ActiveDocument.class);

    /** Where the document in force comes from. */
    public enum Source { DATABASE, FILE }

    /** What is in force: the compiled document, its text, and its stored version (empty when the file is the source). */
    public record InForce<T>(T document, String text, Optional<DocumentVersions.Active> stored) {
    }

    private final String kind;
    private final String what;
    private final Source source;
    private final DocumentVersions versions;
    private final BiFunction<YamlDocuments.Source, String, T> compiler;
    private final AtomicReference<InForce<T>> inForce = new AtomicReference<>();

    /**
     * @param what     how people call it ("Policy"), in messages
     * @param compiler compiles a text, naming it by the second argument in its errors; throws {@link IllegalStateException}
     */
    protected ActiveDocument(String kind, String what, Source source, YamlDocuments.Source file, String location,
                             DocumentVersions versions, BiFunction<YamlDocuments.Source, String, T> compiler) {
        this.kind = kind;
        this.what = what;
        this.source = source;
        this.versions = versions;
        this.compiler = compiler;
        if (source == Source.FILE) {
            inForce.set(new InForce<>(compiler.apply(file, location), file.text(), Optional.empty()));
            log.info("{} {} in force from {} (read-only: countersign.{}.source=file)", what, file.version(), location, kind);
            return;
        }
        var active = versions.activeOrSeed(kind, file, location);
        inForce.set(compiled(active));
        if (!active.version().hash().equals(file.version())) {
            log.info("{} version {} ({}) from the database is in force; {} differs and is not read (edit in the console, or set "
                    + "countersign.{}.source=file to make the file the only source)", what, active.version().number(),
                    active.version().hash(), location, kind);
        } else {
            log.info("{} version {} ({}) in force", what, active.version().number(), active.version().hash());
        }
    }

    protected T current() {
        return inForce.get().document();
    }

    @Override
    public String source() {
        return inForce.get().text();
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean editable() {
        return source == Source.DATABASE;
    }

    @Override
    public Optional<DocumentVersions.Active> active() {
        return inForce.get().stored();
    }

    @Override
    public Optional<DocumentVersions.Version> version(int number) {
        return versions.version(kind, number);
    }

    /** What else a draft must satisfy besides compiling; none unless a subclass says. */
    protected List<String> moreChecks(T draft) {
        return List.of();
    }

    /** Picks up a version another instance activated. */
    protected void refresh() {
        if (source == Source.FILE) {
            return;
        }
        int local = inForce.get().stored().map(active -> active.version().number()).orElse(0);
        versions.activeNumber(kind).filter(number -> number != local).ifPresent(number -> {
            var active = versions.active(kind).orElseThrow();
            inForce.set(compiled(active));
            log.info("{} version {} ({}) now in force, activated by {}", what, number, active.version().hash(), active.activatedBy());
        });
    }

    /** Compiles a draft; the problems found (empty when it compiles), with the extra checks' problems after. */
    @Override
    public List<String> check(String draft) {
        List<String> problems = new ArrayList<>();
        try {
            problems.addAll(moreChecks(compileDraft(draft)));
        } catch (IllegalStateException invalid) {
            problems.add(invalid.getMessage());
        }
        return problems;
    }

    protected T compileDraft(String draft) {
        return compiler.apply(YamlDocuments.of(draft), "the draft");
    }

    /**
     * Saves a draft as the next version and puts it in force, if it compiles and passes the
     * checks; otherwise {@code 422 document_invalid} listing every problem, and nothing is saved.
     */
    @Override
    public DocumentVersions.Active activate(String draft, String author, String comment) {
        if (!editable()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "document_read_only", what + " comes from its file (countersign." + kind
                    + ".source=file): change the file and restart");
        }
        List<String> problems = check(draft);
        if (!problems.isEmpty()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "document_invalid", what + " not activated: " + String.join("; ", problems),
                    java.util.Map.of("problems", problems));
        }
        var active = versions.save(kind, YamlDocuments.of(draft), author, comment, true);
        inForce.set(new InForce<>(compileDraft(draft), draft, Optional.of(active)));
        log.info("{} version {} ({}) activated by {}: {}", what, active.version().number(), active.version().hash(), author, comment);
        return active;
    }

    @Override
    public List<DocumentVersions.Version> history(int limit) {
        return editable() ? versions.history(kind, limit) : List.of();
    }

    private InForce<T> compiled(DocumentVersions.Active active) {
        var version = active.version();
        return new InForce<>(compiler.apply(new YamlDocuments.Source(version.content(), version.hash()), "version " + version.number()),
                version.content(), Optional.of(active));
    }
}

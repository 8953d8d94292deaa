package dev.countersign.documents;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stored versions of an admin document (the policy, the tool catalog): every version ever
 * saved, numbered per kind, and the one in force. Numbers come from the primary key: two admins
 * saving at once get two numbers or one of them a clear conflict, never one number twice.
 */
@Component
public class DocumentVersions {

    /** One saved version. {@code hash} is what decisions record ({@code sha256:} and 16 hex digits). */
    public record Version(String kind, int number, String content, String hash, String author, String comment,
                          java.time.Instant createdAt) {
    }

    /** The version in force, and who put it there. */
    public record Active(Version version, String activatedBy, java.time.Instant activatedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DocumentVersions(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * The version in force; on the very first start, the seed (the YAML file) becomes version 1.
     * Instances starting together all end up with the same version 1.
     */
    public Active activeOrSeed(String kind, YamlDocuments.Source seed, String seededFrom) {
        return active(kind).orElseGet(() -> {
            try {
                return save(kind, seed, "countersign", "seeded from " + seededFrom, true);
            } catch (DuplicateKeyException anotherInstanceSeeded) {
                return active(kind).orElseThrow();
            }
        });
    }

    public Optional<Active> active(String kind) {
        return jdbc.sql("""
                        select v.kind, v.number, v.content, v.hash, v.author, v.comment, v.created_at, a.activated_by, a.activated_at
                          from document_active a join document_version v on v.kind = a.kind and v.number = a.number
                         where a.kind = ?""")
                .param(kind)
                .query((rs, n) -> new Active(new Version(rs.getString("kind"), rs.getInt("number"), rs.getString("content"),
                        rs.getString("hash"), rs.getString("author"), rs.getString("comment"), rs.getTimestamp("created_at").toInstant()),
                        rs.getString("activated_by"), rs.getTimestamp("activated_at").toInstant()))
                .optional();
    }

    /** Only the number in force: what instances compare to notice another's activation. */
    public Optional<Integer> activeNumber(String kind) {
        return jdbc.sql("select number from document_active where kind = ?").param(kind).query(Integer.class).optional();
    }

    public Optional<Version> version(String kind, int number) {
        return jdbc.sql("select kind, number, content, hash, author, comment, created_at from document_version where kind = ? and number = ?")
                .params(kind, number).query(DocumentVersions::version).optional();
    }

    /** Newest first, without their content. */
    public List<Version> history(String kind, int limit) {
        return jdbc.sql("""
                        select kind, number, '' as content, hash, author, comment, created_at from document_version
                         where kind = ? order by number desc limit ?""")
                .params(kind, limit).query(DocumentVersions::version).list();
    }

    /** Saves the next version, and puts it in force if asked, in one transaction. */
    public Active save(String kind, YamlDocuments.Source source, String author, String comment, boolean activate) {
        return tx.execute(status -> {
            var now = Timestamp.from(clock.instant());
            int number = jdbc.sql("select coalesce(max(number), 0) + 1 from document_version where kind = ?").param(kind)
                    .query(Integer.class).single();
            jdbc.sql("insert into document_version (kind, number, content, hash, author, comment, created_at) values (?,?,?,?,?,?,?)")
                    .params(kind, number, source.text(), source.version(), author, comment, now).update();
            if (activate) {
                activate(kind, number, author, now);
            }
            return active(kind).filter(active -> activate).orElseGet(() -> new Active(version(kind, number).orElseThrow(), null, null));
        });
    }

    private void activate(String kind, int number, String by, Timestamp at) {
        if (jdbc.sql("update document_active set number = ?, activated_by = ?, activated_at = ? where kind = ?")
                .params(number, by, at, kind).update() == 0) {
            jdbc.sql("insert into document_active (kind, number, activated_by, activated_at) values (?,?,?,?)")
                    .params(kind, number, by, at).update();
        }
    }

    private static Version version(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Version(rs.getString("kind"), rs.getInt("number"), rs.getString("content"), rs.getString("hash"),
                rs.getString("author"), rs.getString("comment"), rs.getTimestamp("created_at").toInstant());
    }
}

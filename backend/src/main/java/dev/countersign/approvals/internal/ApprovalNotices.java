package dev.countersign.approvals.internal;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Engines deliver jobs at least once. A notice (requested, reminder) is claimed by inserting
 * its primary key in the handler's transaction: the first delivery publishes, any redelivery
 * finds the row and does nothing; a handler that fails rolls its claim back and is retried.
 */
@Component
class ApprovalNotices {

    private final JdbcClient jdbc;
    private final Clock clock;

    ApprovalNotices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    boolean claim(String requestId, String kind) {
        // Conditional insert, portable to H2 and PostgreSQL: no exception, so the caller's transaction stays usable.
        return jdbc.sql("""
                        insert into approval_notice (request_id, kind, noticed_at)
                        select ?, ?, ? where not exists (select 1 from approval_notice where request_id = ? and kind = ?)""")
                .params(requestId, kind, Timestamp.from(clock.instant()), requestId, kind)
                .update() == 1;
    }
}

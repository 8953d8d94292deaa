package dev.countersign.actions.internal;

import dev.countersign.actions.ActionStatus;
import dev.countersign.workflow.DecisionState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
class RequestDecisionState implements DecisionState {

    private final ActionRequestRepository requests;
    private final JdbcClient jdbc;

    RequestDecisionState(ActionRequestRepository requests, JdbcClient jdbc) {
        this.requests = requests;
        this.jdbc = jdbc;
    }

    @Override
    public boolean isPending(String requestId) {
        return requests.findById(requestId).map(r -> r.status() == ActionStatus.PENDING).orElse(false);
    }

    @Override
    public List<String> decidedBetween(Instant from, Instant to, int limit) {
        return jdbc.sql("select id from action_request where decided_at > ? and decided_at <= ? and quorum > 0 order by decided_at desc limit ?")
                .params(Timestamp.from(from), Timestamp.from(to), limit)
                .query(String.class).list();
    }
}

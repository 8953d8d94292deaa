package dev.countersign.workflow.internal.camunda;

import dev.countersign.actions.ActionRequestsPurged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Whichever engine runs now (the table is there for both): a purged request's Camunda bookkeeping goes with it. */
@Component
class CamundaInstanceRetention {

    private final JdbcClient jdbc;

    CamundaInstanceRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void purged(ActionRequestsPurged purged) {
        jdbc.sql("delete from camunda_instance where request_id in (:ids)").param("ids", purged.requestIds()).update();
    }
}

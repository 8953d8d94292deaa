package dev.countersign;

import dev.countersign.testing.Processes;
import org.flowable.engine.HistoryService;
import org.flowable.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every end-to-end test starts from: the running application's port, an API client, the
 * demo agent's token, the database and the engine's processes. Subclasses choose the database
 * with {@link EndToEndTest} (H2) or {@code @PostgresTest}.
 */
public abstract class EndToEndBase {

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    private RuntimeService runtime;
    @Autowired
    private HistoryService history;

    protected Api api;
    /** A token of {@code billing-agent}, the demo agent the test policy knows best. */
    protected String agent;
    protected Processes processes;

    @BeforeEach
    void connect() {
        api = new Api(port);
        agent = api.token("billing-agent", "billing-agent-secret");
        processes = new Processes(runtime, history);
    }

    /** A token of a demo person: their password is their name. */
    protected String person(String name) {
        return api.token(name, name);
    }

    /** A single count from the database. */
    protected long count(String sql, Object... params) {
        var statement = jdbc.sql(sql);
        for (Object param : params) {
            statement = statement.param(param);
        }
        return statement.query(Long.class).single();
    }
}

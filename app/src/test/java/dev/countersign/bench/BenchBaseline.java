package dev.countersign.bench;

import dev.countersign.common.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark-only baseline, added to the application by the harness (never shipped): the same
 * HTTP stack and token check as the agent API, and one row inserted, nothing else.
 */
@RestController
class BenchBaseline implements InitializingBean {

    private final JdbcClient jdbc;

    BenchBaseline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void afterPropertiesSet() {
        jdbc.sql("create table if not exists bench_baseline (id varchar(64) primary key, body text, created_at timestamp with time zone)")
                .update();
    }

    @PostMapping("/api/v1/bench/baseline")
    Map<String, String> insert(@org.springframework.web.bind.annotation.RequestBody String body) {
        String id = Ids.random("bl");
        jdbc.sql("insert into bench_baseline (id, body, created_at) values (?, ?, ?)")
                .params(id, body, Timestamp.from(Instant.now())).update();
        return Map.of("id", id);
    }
}

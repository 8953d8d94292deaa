-- Agents' calls per rate-limit window, summed over every instance on this database (each instance adds what it
-- counted every share-every, and reads the totals back). Rows older than the previous window are deleted.
create table agent_call_count (
    agent_id     varchar(255) not null,
    window_start bigint       not null,
    calls        bigint       not null,
    primary key (agent_id, window_start)
);

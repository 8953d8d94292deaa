-- At most one PENDING request per agent and action: the primary key makes concurrent identical
-- asks coalesce onto one approval (H2 has no partial unique index, so this is a table of its own).
create table pending_action (
    agent_id    varchar(255) not null,
    action_hash varchar(80)  not null,
    request_id  varchar(64)  not null references action_request (id),
    primary key (agent_id, action_hash)
);

-- Each approval notice (requested, reminder) is published once per request, however often the
-- engine delivers its job.
create table approval_notice (
    request_id varchar(64) not null references action_request (id),
    kind       varchar(32) not null,
    noticed_at timestamp with time zone not null,
    primary key (request_id, kind)
);

create index idempotency_key_by_age on idempotency_key (created_at);
create index action_request_recent_denials on action_request (agent_id, action_hash, decided_at);

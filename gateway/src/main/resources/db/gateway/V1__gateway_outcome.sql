-- What an approved tools/call returned when the gateway ran it, kept for the agent that asked: a client that gave up
-- waiting, and calls again with the same arguments within the replay window, gets this outcome instead of asking for a
-- second approval (and running the action twice). One row per request: the primary key is the one run.
create table gateway_outcome (
    request_id  varchar(64)     primary key references action_request (id),
    agent_id    varchar(255)    not null,
    action_hash varchar(80)     not null,
    is_error    boolean         not null,
    result      varchar(1048576) not null,
    truncated   boolean         not null,
    ran_at      timestamp with time zone not null
);
create index gateway_outcome_by_action on gateway_outcome (agent_id, action_hash, ran_at);

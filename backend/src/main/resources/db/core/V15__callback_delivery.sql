-- One notification of a decision to one of the agent's callback URLs (countersign.identity.agents[].callbacks), written
-- in the deciding transaction (nothing decided goes untold) and delivered by whichever instance claims it first.
-- id is the webhook-id the receiver deduplicates by: the same on every attempt.
create table callback_delivery (
    id              varchar(64)     primary key,
    request_id      varchar(64)     not null references action_request (id),
    agent_id        varchar(255)    not null,
    url             varchar(2048)   not null,
    state           varchar(16)     not null,
    attempts        integer         not null default 0,
    next_attempt_at timestamp with time zone not null,
    claimed_until   timestamp with time zone,
    last_error      varchar(1024),
    created_at      timestamp with time zone not null,
    delivered_at    timestamp with time zone
);
create index callback_delivery_due on callback_delivery (state, next_attempt_at);
create index callback_delivery_by_request on callback_delivery (request_id);

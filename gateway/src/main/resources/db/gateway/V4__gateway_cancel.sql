-- A client's notifications/cancelled that reached an instance where the call it names is not waiting (behind a load
-- balancer, the call may wait on another): the instance where it waits reads it within a second (WaitingCalls).
create table gateway_cancel (
    agent_id    varchar(255)    not null,
    session_id  varchar(128)    not null,
    request_key varchar(300)    not null,
    at          timestamp with time zone not null,
    primary key (agent_id, session_id, request_key)
);

-- Each approval request a tools/call opened or joined while it was pending: whatever becomes of the call that asked (its
-- client gave up, its instance stopped), an approval of it is picked up and run once (GatewayPickup), and its outcome kept
-- in gateway_outcome. settled: nothing more to do (ran, or was not approved, or its grant lapsed).
create table gateway_call (
    request_id  varchar(64)     primary key references action_request (id),
    agent_id    varchar(255)    not null,
    asked_at    timestamp with time zone not null,
    settled     boolean         not null default false
);
create index gateway_call_unsettled on gateway_call (settled, asked_at);

-- MCP tasks (2025-11-25): a task-augmented tools/call answers at once with a task, and the client polls it, from any
-- connection of the same agent and from any instance. The task's state is not stored but read from what it stands for:
-- its approval request, the one run's outcome (gateway_outcome), and whether the client cancelled it. A call refused before
-- anything was asked (no request) keeps its refusal here.
create table gateway_task (
    id          varchar(64)     primary key,
    agent_id    varchar(255)    not null,
    request_id  varchar(64)     references action_request (id),
    refused     varchar(65536),
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    cancelled   boolean         not null default false
);
create index gateway_task_by_agent on gateway_task (agent_id, created_at);
create index gateway_task_by_request on gateway_task (request_id);

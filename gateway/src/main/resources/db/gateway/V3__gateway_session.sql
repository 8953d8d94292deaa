-- MCP sessions, shared by every instance: a client's Mcp-Session-Id works on whichever instance a load balancer sends
-- its next request to, without sticky routing. Each instance that meets a session it does not know yet opens its own
-- session in the MCP SDK with the client's stored initialize message (McpSessions, SessionAdoption). A session is its
-- opener's (agent_id): to any other agent it does not exist.
create table gateway_session (
    id          varchar(128)    primary key,
    agent_id    varchar(255)    not null,
    initialize  varchar(65536)  not null,
    created_at  timestamp with time zone not null,
    last_seen   timestamp with time zone not null
);
create index gateway_session_idle on gateway_session (last_seen);

-- The W3C traceparent of the ask that stored the request: votes, jobs and the gateway's forward continue its trace, so an
-- operator follows one request from the agent's error to every log line about it (docs/operations.md, "Traces").
alter table action_request add column trace_parent varchar(64);

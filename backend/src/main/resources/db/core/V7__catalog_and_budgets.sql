-- The catalog version whose entry derived the request's facts (category, amount, environment, resource),
-- kept beside the policy version that decided it. Null for requests from before the catalog.
alter table action_request add column catalog_version varchar(64);

-- One row per agent, locked (select … for update) while an ask reads the agent's history and is decided,
-- when policy reads history: two asks racing past a daily budget are counted one after the other.
create table agent_ask_lock (
    agent_id varchar(255) primary key
);

-- What policy reads as history, each with one index range scan.
create index action_request_agent_decided on action_request (agent_id, decided_at);
create index action_request_agent_session on action_request (agent_id, session_id);

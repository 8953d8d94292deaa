-- Who receives the money or the data (the catalog's `payee` fact): shown to approvers, and what
-- "first time this payee" and look-alike groups ("to 14 payees") count.
alter table action_request add column payee varchar(1024);
create index action_request_agent_created on action_request (agent_id, created_at);
-- The fatigue guard counts an approver's recent approvals.
create index vote_by_approver on vote (approver, cast_at);

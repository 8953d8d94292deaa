-- The delegation chain an ask came through (RFC 8693 act claims), root first and ending with the
-- asking agent, as a JSON array of ids; null for an agent that asked for itself. root_is_person:
-- the chain starts with a person's token, not an agent's.
alter table action_request add column delegation varchar(2000);
alter table action_request add column root_is_person boolean default false not null;

-- The agents of the chain behind a grant (JSON array, null for a direct ask): switching any of
-- them off revokes it, and redeeming it needs every one of them still on.
alter table grant_token add column chain_agents varchar(2000);

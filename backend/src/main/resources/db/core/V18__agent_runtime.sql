-- What the asking agent ran as (model, digests of its instructions, tools and corpus; which of
-- them its token attested), as JSON; null when nobody said. runtime_changed: whether that differs
-- from the agent's last approved request (null when there is none to compare with).
alter table action_request add column runtime varchar(2000);
alter table action_request add column runtime_changed boolean;

-- A rule's onApproval: hold. The approved call (through the MCP gateway) runs only when the agent calls again, until the
-- approval's expiry, for actions whose sense depends on the moment; its grant lives until then.
alter table action_request add column hold_on_approval boolean not null default false;

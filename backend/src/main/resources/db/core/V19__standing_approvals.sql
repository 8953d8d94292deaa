-- "This and the next ones like it": an approval that stands for asks within its terms, pinned to
-- the policy, catalog and runtime it was given under. Uses are counted by conditional updates.
create table standing_approval (
    id               varchar(64)   primary key,
    request_id       varchar(64)   not null references action_request (id),
    agent_id         varchar(255)  not null,
    delegation       varchar(2000),
    rule_name        varchar(255)  not null,
    approvers        varchar(2000) not null,
    approved_by      varchar(2000) not null,
    tool_glob        varchar(128)  not null,
    amount_at_most   decimal(48, 18),
    currency         varchar(3),
    environment      varchar(128),
    resource_pattern varchar(1024),
    max_uses         integer,
    budget           decimal(48, 18),
    used             integer       not null default 0,
    spent            decimal(48, 18) not null default 0,
    policy_version   varchar(255)  not null,
    catalog_version  varchar(255)  not null,
    runtime          varchar(2000),
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    status           varchar(16)   not null,
    ended_at         timestamp with time zone,
    ended_by         varchar(255),
    end_reason       varchar(2000)
);
create index standing_approval_by_agent on standing_approval (agent_id, status);

-- The terms an approver proposed with an APPROVE (JSON): a standing approval is made when every
-- approving vote of the quorum proposed the same.
alter table vote add column standing varchar(2000);

-- STANDING_APPROVAL is 17 characters: decided_by was 16.
alter table action_request alter column decided_by set data type varchar(32);

-- The standing approval a decision cites: the one that approved it, or the one its approval gave.
alter table action_request add column standing_approval_id varchar(64);

-- 'if not exists': databases from before module migrations (0.1.0 snapshots) already hold this table,
-- created by the core history's V4/V6; this module's own history then adopts it unchanged.
-- Slack messages Countersign posts, one row per request, kind and target, written before the Web
-- API call (PENDING) and after it (POSTED with Slack's channel id and ts, or FAILED with Slack's
-- error). The primary key is what makes a redelivered notify job or a restart post nothing twice.
create table if not exists slack_post (
    request_id     varchar(64)  not null references action_request (id),
    kind           varchar(16)  not null,  -- approval | reminder
    target         varchar(128) not null,  -- '#channel', a channel id, or 'dm:<approver id>'
    state          varchar(16)  not null,  -- PENDING | POSTING | POSTED | FAILED | SKIPPED
    channel_id     varchar(64),
    ts             varchar(64),
    -- Every vote or decision bumps wanted_version; chat.update runs until shown_version catches up.
    wanted_version integer      not null default 0,
    shown_version  integer      not null default 0,
    attempts       integer      not null default 0,
    next_attempt_at timestamp with time zone not null,
    lease_until    timestamp with time zone,
    last_error     varchar(500),
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null,
    primary key (request_id, kind, target)
);

create index if not exists slack_post_due on slack_post (next_attempt_at);

-- Interactions already acted on, by Slack's trigger id: a click Slack delivers twice counts once.
create table if not exists slack_interaction (
    trigger_id  varchar(128) primary key,
    received_at timestamp with time zone not null
);

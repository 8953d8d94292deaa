-- 'if not exists': databases from before module migrations (0.1.0 snapshots) already hold this table,
-- created by the core history's V4/V6; this module's own history then adopts it unchanged.
-- Process instances Countersign started on a Camunda 8 cluster, one per request: the primary key
-- is claimed before the instance is created, so the outbox, the reconciler and a second
-- Countersign instance can never start two for one request.
create table if not exists camunda_instance (
    request_id           varchar(64) primary key references action_request (id),
    process_id           varchar(255) not null,
    process_instance_key bigint,
    started_at           timestamp with time zone not null,
    decided_at           timestamp with time zone
);

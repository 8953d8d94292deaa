-- Spring Modulith's event publication registry (schema v2 of spring-modulith-events-jdbc 2.0, written once for H2 and
-- PostgreSQL): an event for a durable listener (@ApplicationModuleListener) is stored in the publishing transaction and
-- deleted when its listener completes; what is left is delivered again (workflow.internal.ProcessStarts).
create table event_publication (
    id                     uuid          not null primary key,
    listener_id            varchar(512)  not null,
    event_type             varchar(512)  not null,
    serialized_event       varchar(4000) not null,
    publication_date       timestamp with time zone not null,
    completion_date        timestamp with time zone,
    status                 varchar(20),
    completion_attempts    int,
    last_resubmission_date timestamp with time zone
);
-- Completion finds its row by listener and event. No index on completion_date: completed rows are deleted
-- (spring.modulith.events.completion-mode: delete), so the table holds only what is still to deliver, and every ask
-- that needs a process pays one index update less.
create index event_publication_by_listener_and_event on event_publication (listener_id, serialized_event);

-- One row per request whose process was started (or found decided and never needed one): written in the transaction
-- that starts a Flowable process, so a publication delivered twice (a crash before its completion was recorded, two
-- instances re-delivering) starts one process. Replaces workflow_outbox; a start still in the old outbox when this
-- runs is given its process by the reconciler (PENDING without a running process).
create table workflow_process_start (
    request_id varchar(64) not null primary key,
    claimed_at timestamp with time zone not null
);
drop table workflow_outbox;

-- Processes now expire and remind at the instants the database holds, not at durations counted
-- from whenever the process happened to start (e.g. after a crash).
alter table action_request add column remind_at timestamp with time zone;

delete from workflow_outbox where processed_at is null;
alter table workflow_outbox drop column timeout_iso;
alter table workflow_outbox drop column reminder_iso;
alter table workflow_outbox add column expires_at timestamp with time zone;
alter table workflow_outbox add column remind_at timestamp with time zone;

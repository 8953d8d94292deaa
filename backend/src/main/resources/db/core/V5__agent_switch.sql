-- An admin's runtime switch for an agent, read on every call the agent makes: disabling takes
-- effect on its next call, on every instance. No row means "as configured".
create table agent_switch (
    agent_id   varchar(255) primary key,
    enabled    boolean      not null,
    changed_by varchar(255) not null,
    changed_at timestamp with time zone not null
);

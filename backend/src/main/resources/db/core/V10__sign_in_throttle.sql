-- Failed sign-ins (console passwords, client secrets at the token endpoint) by account and by address:
-- after a few in a row, each further attempt waits, up to a minute. Shared by every instance.
create table sign_in_throttle (
    throttle_key  varchar(320) primary key,
    failures      integer      not null,
    blocked_until timestamp with time zone
);

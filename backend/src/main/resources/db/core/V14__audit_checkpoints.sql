-- A chain tip that a verification found intact: later verifications recompute only the entries after the newest
-- checkpoint, and check that every checkpointed entry still carries the hash it had (a rewrite of older entries that
-- recomputed the chain up to the tip changes those). A full verification recomputes everything.
create table audit_checkpoint (
    seq         bigint primary key,
    hash        varchar(64) not null,
    verified_at timestamp with time zone not null
);

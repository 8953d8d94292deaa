-- The built-in issuer's signing keys, shared by every instance on this database, so that its tokens work on every
-- instance and survive a restart. Newest signs; older ones verify until their tokens have expired.
create table issuer_key (
    kid        varchar(64)  primary key,
    jwk        text         not null,
    created_at timestamp with time zone not null
);

-- Access tokens of the built-in issuer revoked at /oauth2/revoke (by SHA-256 of the token), refused on every
-- instance until they would have expired anyway.
create table revoked_token (
    token_hash varchar(64)  primary key,
    expires_at timestamp with time zone not null,
    revoked_at timestamp with time zone not null
);
create index revoked_token_revoked_at on revoked_token (revoked_at);

-- Versions of the admins' documents (kind 'policy' or 'catalog'): every version ever saved, and which one is in force.
-- The YAML files seed version 1; a request names the version (by content hash) it was decided under.
create table document_version (
    kind       varchar(16)     not null,
    number     integer         not null,
    content    varchar(1000000) not null,
    hash       varchar(64)     not null,
    author     varchar(255)    not null,
    comment    varchar(2000),
    created_at timestamp with time zone not null,
    primary key (kind, number)
);

create table document_active (
    kind         varchar(16)  primary key,
    number       integer      not null,
    activated_by varchar(255) not null,
    activated_at timestamp with time zone not null
);

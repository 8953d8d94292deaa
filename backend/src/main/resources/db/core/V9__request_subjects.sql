-- Every person an action is done on behalf of: the subject of the request that created it and of
-- every ask that coalesced onto it. None of them may approve it.
create table action_request_subject (
    request_id varchar(64)  not null references action_request (id),
    subject    varchar(255) not null,
    primary key (request_id, subject)
);

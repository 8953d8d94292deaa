-- Six runtime values of up to 256 characters each, stored as JSON, take up to about 3,300 characters
-- when they are made of the characters JSON escapes (a quote or backslash doubles): 2000 refused the
-- longest ones with a 500.
alter table action_request alter column runtime set data type varchar(4000);
alter table standing_approval alter column runtime set data type varchar(4000);

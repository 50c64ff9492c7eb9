-- The web server's database role: everything the pages and the API need, but it does not own
-- the read log, so it cannot switch off its append-only trigger or change or remove entries or
-- seals (docs/decisions/0502-read-log-integrity.md, README "In production", "Database roles").
--
-- Run as the owner (the role that runs `migrate`), once after the first migrate and again after
-- every update's migrate (new tables need their grants):
--   psql "postgres://schoolzorg@DBHOST/schoolzorg" -v web=schoolzorg_web -f scripts/web-role.sql
\set ON_ERROR_STOP on
GRANT CONNECT ON DATABASE :"DBNAME" TO :"web";
GRANT USAGE ON SCHEMA public TO :"web";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"web";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"web";
-- The read log: add and read, nothing else (the pages write an entry for every read of a
-- child's data; the oversight pages read it). Its monthly partitions are reached only through it.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_accesslogentry FROM :"web";
SELECT format('REVOKE ALL ON %I FROM %I', c.relname, :'web')
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'audit_accesslogentry'::regclass \gexec
-- The seals are written by the worker (the owner); the web server only reads them.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_logseal FROM :"web";

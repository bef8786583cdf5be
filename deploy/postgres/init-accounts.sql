-- The hub's two PostgreSQL accounts (HUB-SPEC section 11; docs/security.md "Production settings").
-- Run once by a superuser, connected to the hub's database, with psql variables:
--   psql -v db=hub -v owner=hub_owner -v owner_password=... \
--        -v runtime=hub -v runtime_password=... -f init-accounts.sql
-- docker-compose runs it through init-accounts.sh on the first start of the postgres volume.
--
-- owner:   owns the database and its schema; runs the migrations (spring.flyway.user/password).
-- runtime: what the hub runs as (spring.datasource.username/password): reads and writes the
--          hub's tables, but may only INSERT and SELECT audit_entry and only SELECT and UPDATE
--          audit_head (the chain's head row), so that the hub cannot rewrite its own audit trail.
\set ON_ERROR_STOP on

CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"runtime" LOGIN PASSWORD :'runtime_password';

ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"runtime";

ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"runtime";

-- Tables do not exist yet: the migrations create them later as the owner. Default privileges give
-- the runtime account its rights on each table and sequence the owner creates from now on.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"runtime";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"runtime";

-- Those defaults include UPDATE and DELETE on audit_entry. The hub's migration callback
-- (hub/src/main/resources/db/vendor/postgresql/afterMigrate.sql) revokes them after every
-- migration, as the owner, with the runtime account's name (spring.datasource.username):
--   REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entry FROM <runtime>;
--   REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM <runtime>;
--   REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM <runtime>;

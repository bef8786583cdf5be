-- Issue 16 (HUB-SPEC section 11): on PostgreSQL the hub's runtime account may only INSERT and
-- SELECT the audit chain's entries, and only SELECT and UPDATE its head row. A Flyway callback:
-- it runs as the migration owner (spring.flyway.user) after every migrate, so tables that later
-- migrations add get the runtime grants too and the audit revocations are applied again.
-- ${runtime_role} is the runtime account (spring.datasource.username). Skipped when the hub
-- migrates and runs under one account (development, CI): an owner keeps every right on its tables.
-- A superuser runtime account bypasses every grant: never run the hub as one in production.
DO $$
DECLARE
  runtime text := '${runtime_role}';
BEGIN
  IF runtime = '' OR runtime = current_user
     OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
    RETURN;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                 current_schema(), runtime);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime);
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entry FROM %I',
                 runtime);
  EXECUTE format('REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM %I',
                 runtime);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM %I', '${flyway:table}', runtime);
END $$;

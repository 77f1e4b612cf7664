-- The database roles of a production deployment. Run as a superuser, connected to the platform's database:
--
--   psql -v ON_ERROR_STOP=1 -d telemed -f infra/postgres/roles.sql
--   psql -d telemed -c '\password telemed_owner' -c '\password telemed_app'
--
-- before the first start, or on an existing database (it is safe to run again). Then:
--   - migrations run as telemed_owner, which owns every table (`DATABASE_URL=<telemed_owner's URL> pnpm db:migrate`);
--   - the api and the router use telemed_app as DATABASE_URL: they read and write the platform's tables, but the
--     audit trail only through telemed_audit_writer, which may insert and read events and nothing else. No
--     application credential can change, remove or truncate an audit event, or move the chain head.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'telemed_owner') THEN
    CREATE ROLE telemed_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'telemed_app') THEN
    CREATE ROLE telemed_app LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'telemed_audit_writer') THEN
    CREATE ROLE telemed_audit_writer NOLOGIN;
  END IF;
END
$$;

-- The application is neither a superuser nor the owner of anything, so a privilege revoked from it stays revoked.
ALTER ROLE telemed_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
GRANT telemed_audit_writer TO telemed_app;

GRANT USAGE, CREATE ON SCHEMA public TO telemed_owner;
GRANT USAGE ON SCHEMA public TO telemed_app;

-- Tables the owner creates from now on: the application reads and writes them. The audit trail is the exception:
-- migration 0006 leaves it to its owner and telemed_audit_writer, whenever it runs.
ALTER DEFAULT PRIVILEGES FOR ROLE telemed_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO telemed_app;
ALTER DEFAULT PRIVILEGES FOR ROLE telemed_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO telemed_app;

-- Tables already there (this file run on an existing database): the same, except the audit trail.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO telemed_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO telemed_app;
DO $$
BEGIN
  IF to_regclass('public.audit_events') IS NOT NULL THEN
    REVOKE ALL ON audit_events FROM telemed_app;
    GRANT SELECT, INSERT ON audit_events TO telemed_audit_writer;
  END IF;
  IF to_regclass('public.audit_chain_head') IS NOT NULL THEN
    REVOKE ALL ON audit_chain_head FROM telemed_app;
    GRANT SELECT ON audit_chain_head TO telemed_audit_writer;
  END IF;
END
$$;

-- The audit trail becomes tamper-evident and append-only for the application.
--
-- Every event carries the SHA-256 of the previous event's hash followed by its own content, so altering, removing or
-- re-ordering a stored event breaks the chain at that event (`pnpm audit:verify` finds it). Events are appended
-- under a row lock on the one-row chain head as their transaction commits, so inserts from any number of connections
-- form one chain, in the order they commit. The application writes through the role `telemed_audit_writer`, which may
-- insert and read events but not change or remove them (infra/postgres/roles.sql grants it to the application's
-- login role).

-- The content an event's hash covers, as jsonb text: jsonb prints keys sorted and values escaped, and the time is
-- spelled in UTC to the microsecond, so the bytes do not depend on session settings. A column added to audit_events
-- later is covered only once it is added here (and the chain re-anchored by a migration that says so).
CREATE FUNCTION audit_event_content(e audit_events) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
RETURN convert_to(
  jsonb_build_array(
    e.id,
    to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_id,
    e.actor_username,
    e.actor_role,
    e.action,
    e.resource_type,
    e.resource_id,
    e.hospital_id,
    e.outcome,
    e.ip,
    e.user_agent,
    e.request_id,
    e.details
  )::text,
  'UTF8'
);

-- The end of the chain, and its start: `anchor_hash` is the hash the first stored event follows (32 zero bytes, or
-- after older events are archived, the hash of the last archived one, whose id is `anchor_id`).
CREATE TABLE audit_chain_head (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  anchor_id    bigint NOT NULL DEFAULT 0,
  anchor_hash  bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
  last_id      bigint NOT NULL DEFAULT 0,
  last_hash    bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex')
);

ALTER TABLE audit_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

-- Chain the events already stored, oldest first.
LOCK TABLE audit_events IN EXCLUSIVE MODE;
DO $$
DECLARE
  e audit_events;
  prev bytea := decode(repeat('00', 32), 'hex');
  last bigint := 0;
BEGIN
  FOR e IN SELECT * FROM audit_events ORDER BY id LOOP
    UPDATE audit_events SET prev_hash = prev, hash = sha256(prev || audit_event_content(e)) WHERE id = e.id
      RETURNING hash INTO prev;
    last := e.id;
  END LOOP;
  INSERT INTO audit_chain_head (last_id, last_hash) VALUES (last, prev);
END
$$;

-- Appending happens in two steps, so that the chain's head is held only while a transaction commits, never while it
-- goes on to lock other rows (which could deadlock against a transaction holding those rows and waiting to append):
--   1. on INSERT, the event gets a negative placeholder id and no hashes, whatever the writer supplied;
--   2. at COMMIT (a deferred constraint trigger), under a lock on the chain head, it gets the next id, the previous
--      event's hash and its own hash. Ids therefore ascend in the order events were committed.
-- Both functions are SECURITY DEFINER: the writer role needs no right on the chain head or the sequences, and
-- cannot move either.
CREATE SEQUENCE audit_events_pending_id_seq;
ALTER TABLE audit_events ALTER COLUMN id DROP DEFAULT;

CREATE FUNCTION audit_events_receive() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
  NEW.id := -nextval('audit_events_pending_id_seq');
  NEW.prev_hash := NULL;
  NEW.hash := NULL;
  RETURN NEW;
END
$$;

CREATE FUNCTION audit_events_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
  previous bytea;
  e audit_events;
BEGIN
  SELECT last_hash INTO STRICT previous FROM audit_chain_head FOR UPDATE;
  SELECT * INTO e FROM audit_events WHERE id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL; -- removed again by its own transaction
  END IF;
  e.id := nextval('audit_events_id_seq');
  e.prev_hash := previous;
  e.hash := sha256(previous || audit_event_content(e));
  UPDATE audit_events SET id = e.id, prev_hash = e.prev_hash, hash = e.hash WHERE id = NEW.id;
  UPDATE audit_chain_head SET last_id = e.id, last_hash = e.hash;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION audit_events_receive(), audit_events_append() FROM PUBLIC;

CREATE TRIGGER audit_events_receive BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_receive();
CREATE CONSTRAINT TRIGGER audit_events_append AFTER INSERT ON audit_events
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_events_append();

-- The role the application's audit writes go through. Roles belong to the whole server, so it may exist already
-- (another database of the same server, or created by infra/postgres/roles.sql where the migrating role may not
-- create roles).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'telemed_audit_writer') THEN
    CREATE ROLE telemed_audit_writer NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN
    NULL; -- created at the same moment by a migration of another database
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the role telemed_audit_writer does not exist and % may not create it', current_user
      USING HINT = 'run infra/postgres/roles.sql as a superuser first, then start again';
END
$$;

-- The audit trail belongs to its owner and, for appending and reading, to telemed_audit_writer: rights granted to
-- anyone else before (e.g. default privileges giving the application's role every right on new tables) are taken
-- back, so the application appends only as the writer and nobody but the owner changes, removes or truncates events
-- or moves the chain head.
DO $$
DECLARE
  grantee text;
BEGIN
  FOR grantee IN
    SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
    FROM pg_class c
    CROSS JOIN LATERAL aclexplode(c.relacl) a
    LEFT JOIN pg_roles r ON r.oid = a.grantee
    WHERE c.oid IN ('audit_events'::regclass, 'audit_chain_head'::regclass) AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE ALL ON audit_events, audit_chain_head FROM %s', grantee);
  END LOOP;
END
$$;

GRANT SELECT, INSERT ON audit_events TO telemed_audit_writer;
GRANT SELECT ON audit_chain_head TO telemed_audit_writer;

-- Archiving (infra/README.md): events up to and including `through_id`, once exported, leave the database and the
-- chain is re-anchored on the last of them, so the events that stay still verify. Events of the last six months
-- always stay. Needs DELETE on audit_events and UPDATE on the head, which only the owner has.
CREATE FUNCTION audit_archive_through(through_id bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public
AS $$
DECLARE
  last_archived audit_events;
  removed bigint;
BEGIN
  PERFORM FROM audit_chain_head FOR UPDATE;
  SELECT * INTO last_archived FROM audit_events WHERE id = through_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit event % does not exist', through_id
      USING HINT = 'archive through an event that is stored: the id of the newest event exported';
  END IF;
  IF last_archived.at > now() - interval '6 months' THEN
    RAISE EXCEPTION 'audit event % is from %, less than six months ago: it must stay', through_id, last_archived.at;
  END IF;
  UPDATE audit_chain_head SET anchor_id = last_archived.id, anchor_hash = last_archived.hash;
  DELETE FROM audit_events WHERE id <= through_id;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION audit_archive_through(bigint) FROM PUBLIC;

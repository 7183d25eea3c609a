-- Cluster Desk team server, schema version 1.
-- Applied by `cluster-desk server init DSN` in one transaction, as the database owner.
-- Nobody deletes rows: members and links carry a tombstone; the change log is append-only.

CREATE SCHEMA IF NOT EXISTS cdesk;

-- Group roles (instance-wide): a login gets one of them, then assignments per cluster.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdesk_manager') THEN
    CREATE ROLE cdesk_manager NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdesk_officer') THEN
    CREATE ROLE cdesk_officer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdesk_analyst') THEN
    CREATE ROLE cdesk_analyst NOLOGIN;
  END IF;
END $$;

CREATE TABLE cdesk.clusters (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT session_user
);

CREATE TABLE cdesk.assignments (
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  login text NOT NULL,
  role text NOT NULL CHECK (role IN ('manager', 'officer', 'analyst')),
  PRIMARY KEY (cluster_id, login)
);

CREATE TABLE cdesk.members (
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  name text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  sector text NOT NULL,
  industry text NOT NULL,
  employees integer CHECK (employees >= 0),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  address text NOT NULL,
  inn text NOT NULL,
  website text NOT NULL,
  contact text NOT NULL,
  joined text,
  "left" text,
  notes text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT session_user,
  PRIMARY KEY (cluster_id, id)
);

CREATE TABLE cdesk.links (
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  source text NOT NULL,
  target text NOT NULL,
  kind text NOT NULL,
  start text,
  share double precision CHECK (share BETWEEN 0 AND 1),
  notes text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT session_user,
  PRIMARY KEY (cluster_id, id)
);

-- The change log. seq orders entries; xid is the writing transaction: pull cursors are
-- snapshot xmins over xid, because seq is handed out at insert, not at commit, and a cursor on
-- seq would skip a change committed late.
CREATE TABLE cdesk.changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL DEFAULT session_user,
  cluster_id text NOT NULL,
  entity text NOT NULL CHECK (entity IN ('member', 'link')),
  entity_id text NOT NULL,
  op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  old jsonb,
  new jsonb
);
CREATE INDEX changes_cluster_xid ON cdesk.changes (cluster_id, xid);
CREATE INDEX changes_entity ON cdesk.changes (cluster_id, entity_id);

CREATE TABLE cdesk.conflicts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  entity text NOT NULL,
  entity_id text NOT NULL,
  label text NOT NULL,
  field text NOT NULL,  -- '' = the whole record (delete against edit)
  server_value jsonb,
  client_value jsonb,
  server_actor text NOT NULL,
  server_at timestamptz NOT NULL,
  client_actor text NOT NULL DEFAULT session_user,
  client_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- One row per push a client made: a retried push (same client, same base) is "already applied".
CREATE TABLE cdesk.pushes (
  client_id text NOT NULL,
  base_seq bigint NOT NULL,
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  upto_seq bigint NOT NULL,
  result jsonb NOT NULL,
  actor text NOT NULL DEFAULT session_user,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, base_seq)
);

-- ---------------------------------------------------------------- permissions

CREATE FUNCTION cdesk.can_read(cluster text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cdesk AS $$
  SELECT pg_has_role(who, 'cdesk_manager', 'MEMBER') OR pg_has_role(who, 'cdesk_officer', 'MEMBER')
      OR EXISTS (SELECT 1 FROM cdesk.assignments a WHERE a.cluster_id = cluster AND a.login = who)
$$;

CREATE FUNCTION cdesk.can_write(cluster text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cdesk AS $$
  SELECT (pg_has_role(who, 'cdesk_manager', 'MEMBER') OR pg_has_role(who, 'cdesk_officer', 'MEMBER'))
     AND EXISTS (SELECT 1 FROM cdesk.assignments a
                 WHERE a.cluster_id = cluster AND a.login = who AND a.role IN ('manager', 'officer'))
$$;

CREATE FUNCTION cdesk.manages(cluster text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, cdesk AS $$
  SELECT pg_has_role(who, 'cdesk_manager', 'MEMBER') AND (
    EXISTS (SELECT 1 FROM cdesk.assignments a
            WHERE a.cluster_id = cluster AND a.login = who AND a.role = 'manager')
    OR EXISTS (SELECT 1 FROM cdesk.clusters c WHERE c.id = cluster AND c.created_by = who))
$$;

ALTER TABLE cdesk.clusters ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.links ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdesk.pushes ENABLE ROW LEVEL SECURITY;

CREATE POLICY read ON cdesk.clusters FOR SELECT USING (cdesk.can_read(id, current_user));
CREATE POLICY publish ON cdesk.clusters FOR INSERT
  WITH CHECK (pg_has_role(current_user, 'cdesk_manager', 'MEMBER') AND created_by = session_user);

CREATE POLICY read ON cdesk.assignments FOR SELECT
  USING (login = current_user OR cdesk.can_read(cluster_id, current_user));
CREATE POLICY assign ON cdesk.assignments FOR ALL
  USING (cdesk.manages(cluster_id, current_user)) WITH CHECK (cdesk.manages(cluster_id, current_user));

CREATE POLICY read ON cdesk.members FOR SELECT USING (cdesk.can_read(cluster_id, current_user));
CREATE POLICY add ON cdesk.members FOR INSERT WITH CHECK (cdesk.can_write(cluster_id, current_user));
CREATE POLICY edit ON cdesk.members FOR UPDATE
  USING (cdesk.can_write(cluster_id, current_user)) WITH CHECK (cdesk.can_write(cluster_id, current_user));

CREATE POLICY read ON cdesk.links FOR SELECT USING (cdesk.can_read(cluster_id, current_user));
CREATE POLICY add ON cdesk.links FOR INSERT WITH CHECK (cdesk.can_write(cluster_id, current_user));
CREATE POLICY edit ON cdesk.links FOR UPDATE
  USING (cdesk.can_write(cluster_id, current_user)) WITH CHECK (cdesk.can_write(cluster_id, current_user));

CREATE POLICY read ON cdesk.changes FOR SELECT USING (cdesk.can_read(cluster_id, current_user));

CREATE POLICY read ON cdesk.conflicts FOR SELECT USING (cdesk.can_read(cluster_id, current_user));
CREATE POLICY record ON cdesk.conflicts FOR INSERT
  WITH CHECK (cdesk.can_write(cluster_id, current_user) AND client_actor = session_user);

CREATE POLICY own ON cdesk.pushes FOR SELECT USING (actor = session_user);
CREATE POLICY record ON cdesk.pushes FOR INSERT
  WITH CHECK (actor = session_user AND cdesk.can_write(cluster_id, current_user));

GRANT USAGE ON SCHEMA cdesk TO cdesk_manager, cdesk_officer, cdesk_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA cdesk TO cdesk_manager, cdesk_officer, cdesk_analyst;
GRANT INSERT, UPDATE ON cdesk.members, cdesk.links TO cdesk_manager, cdesk_officer;
GRANT INSERT ON cdesk.conflicts, cdesk.pushes TO cdesk_manager, cdesk_officer;
GRANT INSERT ON cdesk.clusters TO cdesk_manager;
GRANT INSERT, UPDATE, DELETE ON cdesk.assignments TO cdesk_manager;
REVOKE ALL ON cdesk.changes FROM PUBLIC;
GRANT SELECT ON cdesk.changes TO cdesk_manager, cdesk_officer, cdesk_analyst;

-- ---------------------------------------------------------------- the audit trail

-- Fields of a record row as JSON, without the bookkeeping columns.
CREATE FUNCTION cdesk.record_json(r jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT r - 'cluster_id' - 'id' - 'version' - 'deleted' - 'updated_at' - 'updated_by'
$$;

-- Row versions and who wrote them, whatever path the write takes.
CREATE FUNCTION cdesk.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'cdesk: rows are never deleted; set deleted = true' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.cluster_id IS DISTINCT FROM OLD.cluster_id OR NEW.id IS DISTINCT FROM OLD.id THEN
      RAISE EXCEPTION 'cdesk: a record keeps its cluster and id' USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.version := OLD.version + 1;
  ELSE
    NEW.version := 1;
  END IF;
  NEW.updated_at := now();
  NEW.updated_by := session_user;
  RETURN NEW;
END $$;

-- One INSERT into the log per statement (transition tables), then one NOTIFY per cluster with
-- its latest change number only: NOTIFY ignores permissions, so it never carries data. An update
-- logs only the fields it changed, compared column by column (a jsonb_each() per row cost ~2 s
-- per 10,000 rows).
-- Transition tables have no statistics: without enable_nestloop = off the planner joins old and
-- new rows in a nested loop, quadratic in the rows of the statement (9 s for 10,000 rows).
CREATE FUNCTION cdesk.log_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, cdesk SET enable_nestloop = off AS $$
DECLARE
  notified bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    WITH ins AS (
      INSERT INTO cdesk.changes (cluster_id, entity, entity_id, op, old, new)
      SELECT n.cluster_id, TG_ARGV[0], n.id, CASE WHEN n.deleted THEN 'delete' ELSE 'insert' END,
             NULL, cdesk.record_json(to_jsonb(n))
      FROM new_rows n
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  ELSIF TG_ARGV[0] = 'member' THEN
    WITH ins AS (
      INSERT INTO cdesk.changes (cluster_id, entity, entity_id, op, old, new)
      SELECT n.cluster_id, 'member', n.id,
             CASE WHEN n.deleted AND NOT o.deleted THEN 'delete'
                  WHEN o.deleted AND NOT n.deleted THEN 'insert' ELSE 'update' END,
             CASE WHEN o."name" IS DISTINCT FROM n."name" THEN jsonb_build_object('name', o."name") ELSE '{}'::jsonb END
               || CASE WHEN o."kind" IS DISTINCT FROM n."kind" THEN jsonb_build_object('kind', o."kind") ELSE '{}'::jsonb END
               || CASE WHEN o."status" IS DISTINCT FROM n."status" THEN jsonb_build_object('status', o."status") ELSE '{}'::jsonb END
               || CASE WHEN o."sector" IS DISTINCT FROM n."sector" THEN jsonb_build_object('sector', o."sector") ELSE '{}'::jsonb END
               || CASE WHEN o."industry" IS DISTINCT FROM n."industry" THEN jsonb_build_object('industry', o."industry") ELSE '{}'::jsonb END
               || CASE WHEN o."employees" IS DISTINCT FROM n."employees" THEN jsonb_build_object('employees', o."employees") ELSE '{}'::jsonb END
               || CASE WHEN o."lat" IS DISTINCT FROM n."lat" THEN jsonb_build_object('lat', o."lat") ELSE '{}'::jsonb END
               || CASE WHEN o."lon" IS DISTINCT FROM n."lon" THEN jsonb_build_object('lon', o."lon") ELSE '{}'::jsonb END
               || CASE WHEN o."address" IS DISTINCT FROM n."address" THEN jsonb_build_object('address', o."address") ELSE '{}'::jsonb END
               || CASE WHEN o."inn" IS DISTINCT FROM n."inn" THEN jsonb_build_object('inn', o."inn") ELSE '{}'::jsonb END
               || CASE WHEN o."website" IS DISTINCT FROM n."website" THEN jsonb_build_object('website', o."website") ELSE '{}'::jsonb END
               || CASE WHEN o."contact" IS DISTINCT FROM n."contact" THEN jsonb_build_object('contact', o."contact") ELSE '{}'::jsonb END
               || CASE WHEN o."joined" IS DISTINCT FROM n."joined" THEN jsonb_build_object('joined', o."joined") ELSE '{}'::jsonb END
               || CASE WHEN o."left" IS DISTINCT FROM n."left" THEN jsonb_build_object('left', o."left") ELSE '{}'::jsonb END
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', o."notes") ELSE '{}'::jsonb END,
             CASE WHEN o."name" IS DISTINCT FROM n."name" THEN jsonb_build_object('name', n."name") ELSE '{}'::jsonb END
               || CASE WHEN o."kind" IS DISTINCT FROM n."kind" THEN jsonb_build_object('kind', n."kind") ELSE '{}'::jsonb END
               || CASE WHEN o."status" IS DISTINCT FROM n."status" THEN jsonb_build_object('status', n."status") ELSE '{}'::jsonb END
               || CASE WHEN o."sector" IS DISTINCT FROM n."sector" THEN jsonb_build_object('sector', n."sector") ELSE '{}'::jsonb END
               || CASE WHEN o."industry" IS DISTINCT FROM n."industry" THEN jsonb_build_object('industry', n."industry") ELSE '{}'::jsonb END
               || CASE WHEN o."employees" IS DISTINCT FROM n."employees" THEN jsonb_build_object('employees', n."employees") ELSE '{}'::jsonb END
               || CASE WHEN o."lat" IS DISTINCT FROM n."lat" THEN jsonb_build_object('lat', n."lat") ELSE '{}'::jsonb END
               || CASE WHEN o."lon" IS DISTINCT FROM n."lon" THEN jsonb_build_object('lon', n."lon") ELSE '{}'::jsonb END
               || CASE WHEN o."address" IS DISTINCT FROM n."address" THEN jsonb_build_object('address', n."address") ELSE '{}'::jsonb END
               || CASE WHEN o."inn" IS DISTINCT FROM n."inn" THEN jsonb_build_object('inn', n."inn") ELSE '{}'::jsonb END
               || CASE WHEN o."website" IS DISTINCT FROM n."website" THEN jsonb_build_object('website', n."website") ELSE '{}'::jsonb END
               || CASE WHEN o."contact" IS DISTINCT FROM n."contact" THEN jsonb_build_object('contact', n."contact") ELSE '{}'::jsonb END
               || CASE WHEN o."joined" IS DISTINCT FROM n."joined" THEN jsonb_build_object('joined', n."joined") ELSE '{}'::jsonb END
               || CASE WHEN o."left" IS DISTINCT FROM n."left" THEN jsonb_build_object('left', n."left") ELSE '{}'::jsonb END
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', n."notes") ELSE '{}'::jsonb END
      FROM new_rows n JOIN old_rows o ON o.cluster_id = n.cluster_id AND o.id = n.id
      WHERE (o."name", o."kind", o."status", o."sector", o."industry", o."employees", o."lat", o."lon", o."address", o."inn", o."website", o."contact", o."joined", o."left", o."notes", o.deleted) IS DISTINCT FROM (n."name", n."kind", n."status", n."sector", n."industry", n."employees", n."lat", n."lon", n."address", n."inn", n."website", n."contact", n."joined", n."left", n."notes", n.deleted)
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  ELSE
    WITH ins AS (
      INSERT INTO cdesk.changes (cluster_id, entity, entity_id, op, old, new)
      SELECT n.cluster_id, 'link', n.id,
             CASE WHEN n.deleted AND NOT o.deleted THEN 'delete'
                  WHEN o.deleted AND NOT n.deleted THEN 'insert' ELSE 'update' END,
             CASE WHEN o."source" IS DISTINCT FROM n."source" THEN jsonb_build_object('source', o."source") ELSE '{}'::jsonb END
               || CASE WHEN o."target" IS DISTINCT FROM n."target" THEN jsonb_build_object('target', o."target") ELSE '{}'::jsonb END
               || CASE WHEN o."kind" IS DISTINCT FROM n."kind" THEN jsonb_build_object('kind', o."kind") ELSE '{}'::jsonb END
               || CASE WHEN o."start" IS DISTINCT FROM n."start" THEN jsonb_build_object('start', o."start") ELSE '{}'::jsonb END
               || CASE WHEN o."share" IS DISTINCT FROM n."share" THEN jsonb_build_object('share', o."share") ELSE '{}'::jsonb END
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', o."notes") ELSE '{}'::jsonb END,
             CASE WHEN o."source" IS DISTINCT FROM n."source" THEN jsonb_build_object('source', n."source") ELSE '{}'::jsonb END
               || CASE WHEN o."target" IS DISTINCT FROM n."target" THEN jsonb_build_object('target', n."target") ELSE '{}'::jsonb END
               || CASE WHEN o."kind" IS DISTINCT FROM n."kind" THEN jsonb_build_object('kind', n."kind") ELSE '{}'::jsonb END
               || CASE WHEN o."start" IS DISTINCT FROM n."start" THEN jsonb_build_object('start', n."start") ELSE '{}'::jsonb END
               || CASE WHEN o."share" IS DISTINCT FROM n."share" THEN jsonb_build_object('share', n."share") ELSE '{}'::jsonb END
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', n."notes") ELSE '{}'::jsonb END
      FROM new_rows n JOIN old_rows o ON o.cluster_id = n.cluster_id AND o.id = n.id
      WHERE (o."source", o."target", o."kind", o."start", o."share", o."notes", o.deleted) IS DISTINCT FROM (n."source", n."target", n."kind", n."start", n."share", n."notes", n.deleted)
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OR DELETE ON cdesk.members
  FOR EACH ROW EXECUTE FUNCTION cdesk.stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OR DELETE ON cdesk.links
  FOR EACH ROW EXECUTE FUNCTION cdesk.stamp();
CREATE TRIGGER log_insert AFTER INSERT ON cdesk.members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('member');
CREATE TRIGGER log_update AFTER UPDATE ON cdesk.members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('member');
CREATE TRIGGER log_insert AFTER INSERT ON cdesk.links REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('link');
CREATE TRIGGER log_update AFTER UPDATE ON cdesk.links REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('link');

-- The log and the push records are append-only, even for their owner.
CREATE FUNCTION cdesk.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cdesk: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON cdesk.changes
  FOR EACH ROW EXECUTE FUNCTION cdesk.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON cdesk.changes
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.append_only();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON cdesk.pushes
  FOR EACH ROW EXECUTE FUNCTION cdesk.append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON cdesk.pushes
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.append_only();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON cdesk.members
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.append_only();
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON cdesk.links
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.append_only();

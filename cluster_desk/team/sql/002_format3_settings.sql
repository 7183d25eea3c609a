-- Cluster Desk team server, schema version 2: the project format-3 fields and cluster settings.
-- Applied by `cluster-desk server init DSN` after 001, in one transaction, as the database owner.
-- Existing rows get the format-3 defaults (unknown / none / no), as a .cdesk file does when it
-- is upgraded to format 3; working copies send their own values with their next sync.

ALTER TABLE cdesk.members
  ADD COLUMN output double precision CHECK (output >= 0),
  ADD COLUMN special_territory text NOT NULL DEFAULT '',
  ADD COLUMN organising_production boolean NOT NULL DEFAULT false;

ALTER TABLE cdesk.links
  ADD COLUMN "end" text,
  ADD COLUMN volume double precision CHECK (volume >= 0),
  ADD COLUMN contract text NOT NULL DEFAULT '';

-- Cluster settings, one row per setting (key = a ClusterSettings field), so two people changing
-- different settings never conflict. Same bookkeeping as members and links.
CREATE TABLE cdesk.settings (
  cluster_id text NOT NULL REFERENCES cdesk.clusters (id),
  id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  value jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT session_user,
  PRIMARY KEY (cluster_id, id)
);

ALTER TABLE cdesk.changes DROP CONSTRAINT changes_entity_check;
ALTER TABLE cdesk.changes ADD CONSTRAINT changes_entity_check
  CHECK (entity IN ('member', 'link', 'setting'));

ALTER TABLE cdesk.settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON cdesk.settings FOR SELECT USING (cdesk.can_read(cluster_id, current_user));
CREATE POLICY add ON cdesk.settings FOR INSERT WITH CHECK (cdesk.can_write(cluster_id, current_user));
CREATE POLICY edit ON cdesk.settings FOR UPDATE
  USING (cdesk.can_write(cluster_id, current_user)) WITH CHECK (cdesk.can_write(cluster_id, current_user));
GRANT SELECT ON cdesk.settings TO cdesk_manager, cdesk_officer, cdesk_analyst;
GRANT INSERT, UPDATE ON cdesk.settings TO cdesk_manager, cdesk_officer;

-- Who may be assigned to clusters: logins in one of the three group roles (the assignment
-- dialog lists them; pg_auth_members is readable by everyone anyway).
CREATE VIEW cdesk.people WITH (security_barrier) AS
  SELECT r.rolname::text AS login, g.rolname::text AS role
  FROM pg_auth_members am
  JOIN pg_roles r ON r.oid = am.member
  JOIN pg_roles g ON g.oid = am.roleid
  WHERE g.rolname IN ('cdesk_manager', 'cdesk_officer', 'cdesk_analyst') AND r.rolcanlogin;
GRANT SELECT ON cdesk.people TO cdesk_manager, cdesk_officer, cdesk_analyst;

-- The audit trigger again, with the new columns and the settings table (see 001 for why it is
-- written out column by column and runs with enable_nestloop = off).
CREATE OR REPLACE FUNCTION cdesk.log_changes() RETURNS trigger
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
    RETURN NULL;
  END IF;
  IF TG_ARGV[0] = 'member' THEN
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
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', o."notes") ELSE '{}'::jsonb END
               || CASE WHEN o."output" IS DISTINCT FROM n."output" THEN jsonb_build_object('output', o."output") ELSE '{}'::jsonb END
               || CASE WHEN o."special_territory" IS DISTINCT FROM n."special_territory" THEN jsonb_build_object('special_territory', o."special_territory") ELSE '{}'::jsonb END
               || CASE WHEN o."organising_production" IS DISTINCT FROM n."organising_production" THEN jsonb_build_object('organising_production', o."organising_production") ELSE '{}'::jsonb END,
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
               || CASE WHEN o."output" IS DISTINCT FROM n."output" THEN jsonb_build_object('output', n."output") ELSE '{}'::jsonb END
               || CASE WHEN o."special_territory" IS DISTINCT FROM n."special_territory" THEN jsonb_build_object('special_territory', n."special_territory") ELSE '{}'::jsonb END
               || CASE WHEN o."organising_production" IS DISTINCT FROM n."organising_production" THEN jsonb_build_object('organising_production', n."organising_production") ELSE '{}'::jsonb END
      FROM new_rows n JOIN old_rows o ON o.cluster_id = n.cluster_id AND o.id = n.id
      WHERE (o."name", o."kind", o."status", o."sector", o."industry", o."employees", o."lat", o."lon", o."address", o."inn", o."website", o."contact", o."joined", o."left", o."notes", o."output", o."special_territory", o."organising_production", o.deleted) IS DISTINCT FROM (n."name", n."kind", n."status", n."sector", n."industry", n."employees", n."lat", n."lon", n."address", n."inn", n."website", n."contact", n."joined", n."left", n."notes", n."output", n."special_territory", n."organising_production", n.deleted)
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  ELSIF TG_ARGV[0] = 'link' THEN
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
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', o."notes") ELSE '{}'::jsonb END
               || CASE WHEN o."end" IS DISTINCT FROM n."end" THEN jsonb_build_object('end', o."end") ELSE '{}'::jsonb END
               || CASE WHEN o."volume" IS DISTINCT FROM n."volume" THEN jsonb_build_object('volume', o."volume") ELSE '{}'::jsonb END
               || CASE WHEN o."contract" IS DISTINCT FROM n."contract" THEN jsonb_build_object('contract', o."contract") ELSE '{}'::jsonb END,
             CASE WHEN o."source" IS DISTINCT FROM n."source" THEN jsonb_build_object('source', n."source") ELSE '{}'::jsonb END
               || CASE WHEN o."target" IS DISTINCT FROM n."target" THEN jsonb_build_object('target', n."target") ELSE '{}'::jsonb END
               || CASE WHEN o."kind" IS DISTINCT FROM n."kind" THEN jsonb_build_object('kind', n."kind") ELSE '{}'::jsonb END
               || CASE WHEN o."start" IS DISTINCT FROM n."start" THEN jsonb_build_object('start', n."start") ELSE '{}'::jsonb END
               || CASE WHEN o."share" IS DISTINCT FROM n."share" THEN jsonb_build_object('share', n."share") ELSE '{}'::jsonb END
               || CASE WHEN o."notes" IS DISTINCT FROM n."notes" THEN jsonb_build_object('notes', n."notes") ELSE '{}'::jsonb END
               || CASE WHEN o."end" IS DISTINCT FROM n."end" THEN jsonb_build_object('end', n."end") ELSE '{}'::jsonb END
               || CASE WHEN o."volume" IS DISTINCT FROM n."volume" THEN jsonb_build_object('volume', n."volume") ELSE '{}'::jsonb END
               || CASE WHEN o."contract" IS DISTINCT FROM n."contract" THEN jsonb_build_object('contract', n."contract") ELSE '{}'::jsonb END
      FROM new_rows n JOIN old_rows o ON o.cluster_id = n.cluster_id AND o.id = n.id
      WHERE (o."source", o."target", o."kind", o."start", o."share", o."notes", o."end", o."volume", o."contract", o.deleted) IS DISTINCT FROM (n."source", n."target", n."kind", n."start", n."share", n."notes", n."end", n."volume", n."contract", n.deleted)
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  ELSIF TG_ARGV[0] = 'setting' THEN
    WITH ins AS (
      INSERT INTO cdesk.changes (cluster_id, entity, entity_id, op, old, new)
      SELECT n.cluster_id, 'setting', n.id,
             CASE WHEN n.deleted AND NOT o.deleted THEN 'delete'
                  WHEN o.deleted AND NOT n.deleted THEN 'insert' ELSE 'update' END,
             CASE WHEN o."value" IS DISTINCT FROM n."value" THEN jsonb_build_object('value', o."value") ELSE '{}'::jsonb END,
             CASE WHEN o."value" IS DISTINCT FROM n."value" THEN jsonb_build_object('value', n."value") ELSE '{}'::jsonb END
      FROM new_rows n JOIN old_rows o ON o.cluster_id = n.cluster_id AND o.id = n.id
      WHERE (o."value", o.deleted) IS DISTINCT FROM (n."value", n.deleted)
      RETURNING cluster_id, seq)
    SELECT count(pg_notify('cdesk_changes', json_build_object('cluster', cluster_id, 'seq', s)::text))
      FROM (SELECT cluster_id, max(seq) AS s FROM ins GROUP BY cluster_id) t INTO notified;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER stamp BEFORE INSERT OR UPDATE OR DELETE ON cdesk.settings
  FOR EACH ROW EXECUTE FUNCTION cdesk.stamp();
CREATE TRIGGER log_insert AFTER INSERT ON cdesk.settings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('setting');
CREATE TRIGGER log_update AFTER UPDATE ON cdesk.settings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.log_changes('setting');
CREATE TRIGGER no_truncate BEFORE TRUNCATE ON cdesk.settings
  FOR EACH STATEMENT EXECUTE FUNCTION cdesk.append_only();

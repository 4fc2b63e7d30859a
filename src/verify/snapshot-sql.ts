/**
 * The catalog queries behind `snapshot()`. Each part reads one kind of object for every user schema at
 * once; `SNAPSHOT_SQL` folds them into a single SELECT that returns one JSON text, so a snapshot is one
 * round trip whatever the engine and however many objects there are.
 *
 * Rules that keep a snapshot stable when an object is re-created with the same definition:
 * - OIDs are selected only to join parts together in TypeScript, never stored.
 * - 64-bit numbers are cast to text (JSON numbers lose precision past 2^53).
 * - A NULL ACL means "the owner's default": it is spelled out with acldefault() so that GRANT followed by
 *   REVOKE (which leaves an explicit but equal ACL behind) compares equal to never granting.
 * - Objects that belong to an extension (pg_depend deptype 'e') are the extension's business, not the
 *   migration's: they are left out, the extension itself is listed.
 * - NOT NULL constraints (PostgreSQL 18 records them in pg_constraint, contype 'n', under a name derived
 *   from the table name at creation time) are read as the column's notNull flag only, so a server older than
 *   18 and PGlite agree, and a table renamed earlier in the history does not make every SET NOT NULL differ.
 */

/** Schemas whose objects are never the migration's: the system ones and per-session temporary ones. */
const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

function notExtensionMember(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
}

function sortedAcl(expr: string): string {
  return `(SELECT array_agg(x::text ORDER BY x::text) FROM unnest(${expr}) x)`;
}

const SCHEMAS = `
SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner,
  ${sortedAcl(`coalesce(n.nspacl, acldefault('n', n.nspowner))`)} AS acl,
  obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_namespace n
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_namespace", "n.oid")}`;

/** Tables, views, materialized views, foreign tables, sequences and composite types' relations. */
const RELATIONS = `
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
  c.relpersistence::text AS persistence, pg_get_userbyid(c.relowner) AS owner,
  ${sortedAcl(`coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's'::"char" ELSE 'r'::"char" END, c.relowner))`)} AS acl,
  obj_description(c.oid, 'pg_class') AS comment,
  c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
  (SELECT array_agg(o ORDER BY o) FROM unnest(c.reloptions) o) AS options,
  c.relreplident::text AS replident,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS viewdef,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partbound,
  (SELECT array_agg(pn.nspname || '.' || p.relname ORDER BY i.inhseqno)
     FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE i.inhrelid = c.oid) AS parents,
  CASE WHEN c.relkind IN ('r', 'p', 'm') THEN am.amname END AS access_method
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND ${USER_NAMESPACE}
  AND ${notExtensionMember("pg_class", "c.oid")}`;

const COLUMNS = `
SELECT a.attrelid::text AS rel, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  a.attnotnull AS not_null,
  CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS "default",
  CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated_expr,
  a.attgenerated::text AS generated, a.attidentity::text AS identity,
  CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
  CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
  NULLIF(a.attstattarget::int, -1) AS statistics,
  NULLIF(a.attcompression::text, '') AS compression,
  (SELECT array_agg(o ORDER BY o) FROM unnest(a.attoptions) o) AS options,
  col_description(a.attrelid, a.attnum) AS comment,
  ${sortedAcl("a.attacl")} AS acl
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ${USER_NAMESPACE}
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS = `
SELECT con.conrelid::text AS rel, con.conname AS name, con.contype::text AS type,
  pg_get_constraintdef(con.oid) AS def, obj_description(con.oid, 'pg_constraint') AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype <> 'n' AND ${USER_NAMESPACE}`;

const INDEXES = `
SELECT n.nspname AS schema, ci.relname AS name, i.indrelid::text AS rel,
  pg_get_indexdef(i.indexrelid) AS def, i.indisclustered AS clustered, i.indisreplident AS replident,
  i.indisvalid AS valid, obj_description(i.indexrelid, 'pg_class') AS comment
FROM pg_index i
JOIN pg_class ci ON ci.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ci.relnamespace
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_class", "i.indexrelid")}`;

const SEQUENCES = `
SELECT s.seqrelid::text AS rel, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
  s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache,
  s.seqcycle AS cycle,
  (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname
     FROM pg_depend dep
     JOIN pg_class dc ON dc.oid = dep.refobjid
     JOIN pg_namespace dn ON dn.oid = dc.relnamespace
     JOIN pg_attribute da ON da.attrelid = dep.refobjid AND da.attnum = dep.refobjsubid
    WHERE dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid AND dep.refclassid = 'pg_class'::regclass
      AND dep.deptype IN ('a', 'i') LIMIT 1) AS owned_by
FROM pg_sequence s`;

const TYPES = `
SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype, t.typrelid::text AS rel,
  pg_get_userbyid(t.typowner) AS owner,
  ${sortedAcl(`coalesce(t.typacl, acldefault('T', t.typowner))`)} AS acl,
  obj_description(t.oid, 'pg_type') AS comment,
  CASE WHEN t.typtype = 'e' THEN
    (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END AS labels,
  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
  t.typnotnull AS not_null,
  CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS "default",
  CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN co.collname END AS collation,
  CASE WHEN t.typtype = 'd' THEN
    (SELECT json_agg(json_build_object('name', dc.conname, 'def', pg_get_constraintdef(dc.oid),
                                       'comment', obj_description(dc.oid, 'pg_constraint')) ORDER BY dc.conname)
       FROM pg_constraint dc WHERE dc.contypid = t.oid AND dc.contype <> 'n') END AS domain_constraints,
  CASE WHEN t.typtype = 'r' THEN
    (SELECT json_build_object('subtype', format_type(r.rngsubtype, NULL), 'opclass', oc.opcname,
                              'collation', rc.collname, 'canonical', NULLIF(r.rngcanonical::text, '-'),
                              'subdiff', NULLIF(r.rngsubdiff::text, '-'))
       FROM pg_range r JOIN pg_opclass oc ON oc.oid = r.rngsubopc LEFT JOIN pg_collation rc ON rc.oid = r.rngcollation
      WHERE r.rngtypid = t.oid) END AS range
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
WHERE t.typtype IN ('e', 'd', 'c', 'r', 'b', 'p') AND ${USER_NAMESPACE}
  AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c'))
  AND NOT (t.typtype = 'b' AND t.typcategory = 'A' AND t.typelem <> 0)
  AND ${notExtensionMember("pg_type", "t.oid")}`;

const FUNCTIONS = `
SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
  p.prokind::text AS kind,
  CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS def,
  CASE WHEN p.prokind = 'a' THEN
    (SELECT concat_ws(' ', 'SFUNC', ag.aggtransfn::text, 'STYPE', format_type(ag.aggtranstype, NULL),
                      'FINALFUNC', NULLIF(ag.aggfinalfn::text, '-'), 'INITCOND', ag.agginitval)
       FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid) END AS aggregate,
  pg_get_userbyid(p.proowner) AS owner,
  ${sortedAcl(`coalesce(p.proacl, acldefault('f', p.proowner))`)} AS acl,
  obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_proc", "p.oid")}`;

const TRIGGERS = `
SELECT tg.tgrelid::text AS rel, tg.tgname AS name, pg_get_triggerdef(tg.oid) AS def,
  tg.tgenabled::text AS enabled, obj_description(tg.oid, 'pg_trigger') AS comment
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ${USER_NAMESPACE}`;

const POLICIES = `
SELECT pol.polrelid::text AS rel, pol.polname AS name, pol.polcmd::text AS command, pol.polpermissive AS permissive,
  (SELECT array_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END ORDER BY 1)
     FROM unnest(pol.polroles) r) AS roles,
  pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
  pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr,
  obj_description(pol.oid, 'pg_policy') AS comment
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE ${USER_NAMESPACE}`;

const RULES = `
SELECT r.ev_class::text AS rel, r.rulename AS name, pg_get_ruledef(r.oid) AS def, r.ev_enabled::text AS enabled
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN' AND ${USER_NAMESPACE}`;

const EXTENSIONS = `
SELECT x.extname AS name, x.extversion AS version, n.nspname AS schema,
  obj_description(x.oid, 'pg_extension') AS comment
FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace`;

const PUBLICATIONS = `
SELECT p.pubname AS name, pg_get_userbyid(p.pubowner) AS owner, p.puballtables AS all_tables,
  p.pubinsert AS ins, p.pubupdate AS upd, p.pubdelete AS del, p.pubtruncate AS trunc,
  (SELECT array_agg(pn.nspname || '.' || pc.relname ORDER BY 1)
     FROM pg_publication_rel pr JOIN pg_class pc ON pc.oid = pr.prrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE pr.prpubid = p.oid) AS tables,
  obj_description(p.oid, 'pg_publication') AS comment
FROM pg_publication p`;

const DEFAULT_PRIVILEGES = `
SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname AS schema, d.defaclobjtype::text AS objtype,
  ${sortedAcl("d.defaclacl")} AS acl
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace`;

const STATISTICS = `
SELECT n.nspname AS schema, s.stxname AS name, pg_get_statisticsobjdef(s.oid) AS def,
  obj_description(s.oid, 'pg_statistic_ext') AS comment
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE ${USER_NAMESPACE}`;

/** Part name → query; every part becomes one JSON array of row objects. */
export const SNAPSHOT_PARTS = {
  schemas: SCHEMAS,
  relations: RELATIONS,
  columns: COLUMNS,
  constraints: CONSTRAINTS,
  indexes: INDEXES,
  sequences: SEQUENCES,
  types: TYPES,
  functions: FUNCTIONS,
  triggers: TRIGGERS,
  policies: POLICIES,
  rules: RULES,
  extensions: EXTENSIONS,
  publications: PUBLICATIONS,
  defaultPrivileges: DEFAULT_PRIVILEGES,
  statistics: STATISTICS,
} as const;

export type SnapshotPart = keyof typeof SNAPSHOT_PARTS;

/** One statement, one row, one column: `{"schemas": [...], "relations": [...], ...}` as text. */
export const SNAPSHOT_SQL = `SELECT json_build_object(${Object.entries(SNAPSHOT_PARTS)
  .map(([name, sql]) => `'${name}', (SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM (${sql}) q)`)
  .join(",\n")})::text AS snapshot`;

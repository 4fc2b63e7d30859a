/**
 * The "platform shim": the objects a hosted platform creates before the first migration runs, which
 * migrations written for it take for granted. For Supabase: the roles `anon`, `authenticated`,
 * `service_role` (and a few more), the `auth` schema with `auth.users` and `auth.uid()`, `auth.role()`,
 * `auth.jwt()`, `auth.email()`, the `storage` schema with `storage.buckets`/`storage.objects` and their
 * helper functions, the `realtime` schema with `realtime.messages` and its functions, the `extensions`
 * schema with uuid-ossp and pgcrypto in it (and on the search path, as Supabase sets it), and the
 * `supabase_realtime` publication.
 *
 * The shim is installed before the history, only for the parts the migrations do not create themselves
 * (Supabase's own storage service creates the storage schema; a project may create its own publication),
 * and every snapshot shows its objects only as stubs: they are the platform's, not the migration's. What a
 * migration changes about them (a trigger on `auth.users`, a policy on `storage.objects`, a GRANT) is the
 * migration's and shows up as exactly that (see `reduceToPlatformDelta`).
 */
import { findAll } from "../parse/index.js";
import type { Engine } from "./engine.js";
import { toSqlError, VerifyUsageError } from "./errors.js";
import type { PreparedScript } from "./script.js";
import { objectKeys, objectValues } from "./snapshot.js";

export type ShimMode = "auto" | "supabase" | "none";

const ROLES = [
  "anon",
  "authenticated",
  "service_role",
  "authenticator",
  "supabase_admin",
  "supabase_auth_admin",
  "supabase_storage_admin",
  "supabase_realtime_admin",
  "dashboard_user",
];

/** Creates a role unless it exists (roles are cluster-wide, and another run or database may have it). */
function createRole(name: string): string {
  return `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} NOLOGIN; END IF;
END $$`;
}

const AUTH = `
CREATE SCHEMA auth;
CREATE TABLE auth.users (
  instance_id uuid,
  id uuid NOT NULL PRIMARY KEY,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text UNIQUE,
  phone_confirmed_at timestamptz,
  phone_change text DEFAULT '',
  phone_change_token varchar(255) DEFAULT '',
  phone_change_sent_at timestamptz,
  email_change_token_current varchar(255) DEFAULT '',
  email_change_confirm_status smallint DEFAULT 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) DEFAULT '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  is_anonymous boolean NOT NULL DEFAULT false
);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(coalesce(current_setting('request.jwt.claim.sub', true),
                            current_setting('request.jwt.claims', true)::jsonb ->> 'sub'), '')::uuid $$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(coalesce(current_setting('request.jwt.claim.role', true),
                            current_setting('request.jwt.claims', true)::jsonb ->> 'role'), '')::text $$;
CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(coalesce(current_setting('request.jwt.claim.email', true),
                            current_setting('request.jwt.claims', true)::jsonb ->> 'email'), '')::text $$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS
  $$ SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                     nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
`;

const STORAGE = `
CREATE SCHEMA storage;
CREATE TABLE storage.buckets (
  id text NOT NULL PRIMARY KEY,
  name text NOT NULL,
  owner uuid,
  owner_id text,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false,
  avif_autodetection boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[]
);
CREATE UNIQUE INDEX bname ON storage.buckets (name);
CREATE TABLE storage.objects (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb,
  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  version text,
  user_metadata jsonb
);
CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[1:array_length(_parts, 1) - 1];
END $$;
CREATE FUNCTION storage.filename(name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[array_length(_parts, 1)];
END $$;
CREATE FUNCTION storage.extension(name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE _parts text[]; _filename text;
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  SELECT _parts[array_length(_parts, 1)] INTO _filename;
  RETURN reverse(split_part(reverse(_filename), '.', 1));
END $$;
GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;
`;

const REALTIME = `
CREATE SCHEMA realtime;
CREATE TABLE realtime.messages (
  topic text NOT NULL,
  extension text NOT NULL,
  payload jsonb,
  event text,
  private boolean DEFAULT false,
  updated_at timestamp NOT NULL DEFAULT now(),
  inserted_at timestamp NOT NULL DEFAULT now(),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  PRIMARY KEY (id, inserted_at)
);
ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;
CREATE FUNCTION realtime.send(payload jsonb, event text, topic text, private boolean DEFAULT true) RETURNS void
  LANGUAGE sql AS $$ SELECT NULL::void $$;
CREATE FUNCTION realtime.broadcast_changes(topic_name text, event_name text, operation text, table_name text,
  table_schema text, new record, old record, level text DEFAULT 'ROW') RETURNS void
  LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION realtime.topic() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('realtime.topic', true), '')::text $$;
GRANT USAGE ON SCHEMA realtime TO anon, authenticated, service_role;
`;

/** A reference the migrations make to the platform: auth.uid(), the anon role, the realtime publication, … */
const SUPABASE_HINT =
  /\b(auth\.(uid|users|role|jwt|email)\b|storage\.(objects|buckets|foldername|filename|extension)\b|realtime\.(messages|send|broadcast_changes|topic)\b|supabase_realtime\b|service_role\b|to\s+(anon|authenticated)\b)/i;

interface Created {
  schemas: Set<string>;
  publications: Set<string>;
  /** Extensions a migration creates without IF NOT EXISTS (pre-installing them would make it fail). */
  extensions: Set<string>;
}

/** Extensions Supabase installs into the `extensions` schema of every project. */
const PREINSTALLED_EXTENSIONS = ["uuid-ossp", "pgcrypto"];

/** Supabase's databases search `extensions` too, so `uuid_generate_v4()` works unqualified. */
export const SUPABASE_SEARCH_PATH = `SET search_path = "$user", public, extensions`;

/** Schemas and publications the scripts create themselves (DO-block bodies included). */
function createdBy(scripts: readonly PreparedScript[]): Created {
  const created: Created = { schemas: new Set(), publications: new Set(), extensions: new Set() };
  for (const script of scripts) {
    for (const step of script.steps) {
      for (const stmt of [step.statement, ...(step.statement.body ?? [])]) {
        for (const s of findAll(stmt.node, "CreateSchemaStmt")) if (s.schemaname) created.schemas.add(s.schemaname);
        for (const p of findAll(stmt.node, "CreatePublicationStmt")) if (p.pubname) created.publications.add(p.pubname);
        for (const x of findAll(stmt.node, "CreateExtensionStmt")) if (x.extname && !x.if_not_exists) created.extensions.add(x.extname);
        for (const c of findAll(stmt.node, "CreateStmt")) {
          const schema = c.relation?.schemaname;
          // A migration that creates tables in a schema without creating the schema still owns that schema's content.
          if (schema === "storage" || schema === "auth") created.schemas.add(schema);
        }
      }
    }
  }
  return created;
}

/** Does the history need the Supabase shim? */
export function wantsSupabaseShim(scripts: readonly PreparedScript[]): boolean {
  return scripts.some((s) => SUPABASE_HINT.test(s.file.text));
}

/** The shim's SQL for this history: only the parts the migrations do not create themselves. */
export function supabaseShimSql(scripts: readonly PreparedScript[]): string[] {
  const created = createdBy(scripts);
  const parts = ROLES.map(createRole);
  if (!created.schemas.has("extensions")) parts.push("CREATE SCHEMA extensions");
  if (!created.schemas.has("auth")) parts.push(AUTH);
  if (!created.schemas.has("storage")) parts.push(STORAGE);
  if (!created.schemas.has("realtime")) parts.push(REALTIME);
  if (!created.publications.has("supabase_realtime")) parts.push("CREATE PUBLICATION supabase_realtime");
  return parts;
}

/**
 * Installs the shim the mode asks for (auto: Supabase's when the migrations reference it) and marks its
 * objects as the platform's. Returns the shim installed, or undefined.
 */
export async function installShim(engine: Engine, scripts: readonly PreparedScript[], mode: ShimMode): Promise<"supabase" | undefined> {
  if (mode === "none" || (mode === "auto" && !wantsSupabaseShim(scripts))) return undefined;
  const before = objectKeys(await engine.snapshot());
  for (const sql of supabaseShimSql(scripts)) {
    try {
      await engine.exec(sql);
    } catch (error) {
      const failure = toSqlError(error);
      if (!failure) throw error;
      throw new VerifyUsageError(`the supabase platform shim failed on this engine (${failure.message}); try --shim none`);
    }
  }
  const created = createdBy(scripts);
  for (const name of PREINSTALLED_EXTENSIONS.filter((x) => !created.extensions.has(x))) {
    // Best effort: an engine without the extension runs the migrations that do not need it.
    await engine.exec(`CREATE EXTENSION IF NOT EXISTS "${name}" WITH SCHEMA extensions`).catch(() => undefined);
  }
  engine.addSessionDefault(SUPABASE_SEARCH_PATH);
  await engine.resetSession();
  const after = await engine.snapshot();
  engine.addPlatform(objectValues(after, [...objectKeys(after)].filter((key) => !before.has(key))));
  return "supabase";
}

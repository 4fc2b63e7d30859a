/** The Supabase platform shim: supabase migrations run, and only what they change about the platform shows. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diff, formatDiff } from "../../src/verify/diff.js";
import { PgliteEngine } from "../../src/verify/pglite.js";
import { installShim, supabaseShimSql } from "../../src/verify/shim.js";
import { verifyMigrations } from "../../src/verify/verify.js";
import { migration, script } from "./helpers.js";

const PROFILES_UP = `
create table public.profiles (id uuid primary key references auth.users on delete cascade, name text);
alter table public.profiles enable row level security;
create policy "own profile" on public.profiles for select using (auth.uid() = id);
grant select on public.profiles to authenticated;
create function public.handle_new_user() returns trigger language plpgsql security definer as $$
begin insert into public.profiles (id) values (new.id); return new; end $$;
create trigger on_auth_user_created after insert on auth.users for each row execute procedure public.handle_new_user();
alter publication supabase_realtime add table public.profiles;`;

describe("supabase shim", () => {
  let engine: PgliteEngine;
  beforeAll(async () => {
    engine = await PgliteEngine.create({ extensions: [] });
  });
  afterAll(async () => engine.close());

  it("lets a supabase history run; a down that forgets the trigger on auth.users differs", async () => {
    const report = await verifyMigrations(engine, [
      migration(
        "001_profiles",
        PROFILES_UP,
        "alter publication supabase_realtime drop table public.profiles; drop function public.handle_new_user() cascade; drop table public.profiles;",
      ),
      migration("002_forgetful", "create or replace trigger t2 after update on auth.users for each row execute procedure public.handle_new_user();", "select 1;"),
    ]);
    expect(report.results.map((r) => r.status)).toEqual(["exact", "differs"]);
    expect(formatDiff(report.results[1]!.downDiff!)).toEqual(["+ table auth.users › trigger t2"]);
  });

  it("shows platform objects as stubs until a migration changes them", async () => {
    const snap = await engine.snapshot();
    expect(snap.relations["auth.users"]).toMatchObject({ platform: true, kind: "table" });
    expect(Object.keys(snap.relations["auth.users"]!.triggers)).toEqual(["on_auth_user_created", "t2"]);
    expect(snap.relations["auth.users"]!.columns).toBeUndefined();
    expect(snap.functions["auth.uid()"]).toEqual({ platform: true, kind: "function" });
    expect(snap.publications["supabase_realtime"]).toMatchObject({ tables: ["public.profiles"] });
    const before = await engine.snapshot();
    await engine.exec("grant select on auth.users to authenticated");
    expect(formatDiff(diff(before, await engine.snapshot()))[0]).toMatch(/^~ table auth\.users › privileges/);
  });

  it("leaves out what the migrations create themselves", async () => {
    const own = [await script("DO $$ BEGIN CREATE SCHEMA storage; END $$; CREATE PUBLICATION supabase_realtime;")];
    const sql = supabaseShimSql(own).join("\n");
    expect(sql).toMatch(/CREATE SCHEMA auth/);
    expect(sql).not.toMatch(/CREATE SCHEMA storage/);
    expect(sql).not.toMatch(/CREATE PUBLICATION/);
  });

  it("auto mode installs nothing for a history that never mentions the platform", async () => {
    const plain = await PgliteEngine.create({ extensions: [] });
    try {
      expect(await installShim(plain, [await script("create table t (a int);")], "auto")).toBeUndefined();
      expect(Object.keys((await plain.snapshot()).schemas)).toEqual(["public"]);
    } finally {
      await plain.close();
    }
  });
});

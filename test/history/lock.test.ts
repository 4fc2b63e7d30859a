/** The lock's format and the history rules as pure functions, on in-memory migration sets. */
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { InputError } from "../../src/errors.js";
import { resolveRules } from "../../src/lint/engine.js";
import { checkSet, hashMigration, lineRange, lockSet, sha256, type Journal, type PathMap } from "../../src/history/lock.js";
import { parseLock, serializeLock, type LoadedLock, type Lock } from "../../src/history/lock-file.js";
import type { MigrationSet } from "../../src/layout/types.js";
import { loadParser } from "../../src/parse/parse.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

const same: PathMap = { toLock: (p) => p };
const rules = resolveRules(allRules, { rules: {} });

function set(names: string[], root = "db"): MigrationSet {
  return migrationSetFromSql(names.map((name) => ({ name, up: `-- ${name}\nSELECT 1;\n` })), root);
}

function loaded(lock: Lock): LoadedLock {
  const text = serializeLock(lock);
  return { path: "/repo/migration-lint.lock", display: "migration-lint.lock", text, lock: parseLock(text, "migration-lint.lock") };
}

const check = (s: MigrationSet, lock: Lock | undefined, linted = s.migrations.map((m) => m.id), journal?: Journal) =>
  checkSet({ ...(lock ? { lock: loaded(lock) } : {}), paths: same, set: s, linted: new Set(linted), rules, ...(journal ? { journal } : {}) }).map((f) => [
    f.ruleId,
    f.messageId,
    f.path,
    f.range.start.line,
  ]);

describe("lock format", () => {
  beforeAll(async () => {
    await loadParser();
  });

  it("serializes one migration a line and parses back", () => {
    const lock: Lock = { version: 1, sets: [lockSet(set(["001_a", "002_b"]), same)] };
    const text = serializeLock(lock);
    expect(text.split("\n").filter((l) => l.trimStart().startsWith('{ "id"'))).toEqual([
      `        { "id": "001_a", "path": "db/001_a.sql", "sha256": "${sha256("-- 001_a\nSELECT 1;\n")}" },`,
      `        { "id": "002_b", "path": "db/002_b.sql", "sha256": "${sha256("-- 002_b\nSELECT 1;\n")}" }`,
    ]);
    expect(parseLock(text, "x.lock")).toEqual(lock);
    expect(serializeLock({ version: 1, sets: [] })).toContain('"sets": []');
  });

  it("rejects what is not a lock, naming where", () => {
    expect(() => parseLock("{", "a.lock")).toThrow(InputError);
    expect(() => parseLock("{", "a.lock")).toThrow(/the lock file is not valid JSON/);
    expect(() => parseLock('{"version": 2, "sets": []}', "a.lock")).toThrow(/malformed at version/);
    expect(() => parseLock('{"version": 1, "sets": [{"root": "db", "layout": "nope", "migrations": []}]}', "a.lock")).toThrow(/malformed at sets\.0\.layout/);
  });

  it("hashes the up section only when the file also holds the down", () => {
    const s = set(["001_a"]);
    const m = s.migrations[0]!;
    expect(hashMigration(m)).toEqual({ sha256: sha256(m.up.text) });
    const text = "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n";
    const up = { path: "db/001_a.sql", text, regions: [{ start: 14, end: 39 }] };
    expect(hashMigration({ ...m, up })).toEqual({ sha256: sha256("CREATE TABLE t (id int);\n"), scope: "up-section" });
    // Editing the down section leaves the hash alone.
    const edited = text.replace("DROP TABLE t;", "DROP TABLE IF EXISTS t;");
    expect(hashMigration({ ...m, up: { ...up, text: edited } }).sha256).toBe(sha256("CREATE TABLE t (id int);\n"));
  });

  it("points at a line without its indentation, with UTF-8 offsets", () => {
    expect(lineRange("a\n  é\n", 2)).toEqual({ start: { offset: 4, line: 2, column: 3 }, end: { offset: 6, line: 2, column: 4 } });
  });
});

describe("history rules against a lock", () => {
  beforeAll(async () => {
    await loadParser();
  });

  const locked = (names: string[], root = "db"): Lock => ({ version: 1, sets: [lockSet(set(names, root), same)] });

  it("nothing to report when the set matches its lock, or without a lock", () => {
    expect(check(set(["001_a", "002_b"]), locked(["001_a", "002_b"]))).toEqual([]);
    expect(check(set(["001_a", "002_b"]), undefined)).toEqual([]);
    // Another set's lock says nothing about this one.
    expect(check(set(["001_a"]), locked(["009_z"], "other"))).toEqual([]);
  });

  it("migration-modified: a locked migration whose SQL changed, when it is linted", () => {
    const s = set(["001_a", "002_b"]);
    s.migrations[0]!.up.text += "SELECT 2;\n";
    expect(check(s, locked(["001_a", "002_b"]))).toEqual([["migration-modified", "changed", "db/001_a.sql", 1]]);
    expect(check(s, locked(["001_a", "002_b"]), ["002_b"])).toEqual([]);
  });

  it("migration-removed: in the lock file, at the line of the missing entry, linted or not", () => {
    const lock = locked(["001_a", "002_b", "003_c"]);
    const line = loaded(lock).text.split("\n").findIndex((l) => l.includes('"003_c"')) + 1;
    expect(check(set(["001_a", "002_b"]), lock, [])).toEqual([["migration-removed", "removed", "migration-lint.lock", line]]);
  });

  it("migration-out-of-order: new, sorted before the last locked migration", () => {
    expect(check(set(["001_a", "0015_late", "002_b", "003_new"]), locked(["001_a", "002_b"]))).toEqual([["migration-out-of-order", "sortsBefore", "db/0015_late.sql", 1]]);
  });

  it("a rule that is off reports nothing", () => {
    const off = resolveRules(allRules, { rules: { "migration-out-of-order": "off" } });
    const s = set(["001_a", "0015_late", "002_b"]);
    expect(checkSet({ lock: loaded(locked(["001_a", "002_b"])), paths: same, set: s, linted: new Set(["0015_late"]), rules: off })).toEqual([]);
  });

  it("drizzle: a locked `when` that moved, a new entry not newer than the lock, an entry older than the one before", () => {
    const names = ["0000_a", "0001_b", "0002_c"];
    const s = set(names, "drizzle");
    const text = (entries: { tag: string; when: number }[]) => JSON.stringify({ entries }, null, 2);
    const at = (j: string, tag: string) => j.split("\n").findIndex((l) => l.includes(`"${tag}"`)) + 1;
    const journalOf = (entries: { tag: string; when: number }[]): Journal => ({ path: "drizzle/meta/_journal.json", text: text(entries), entries });
    const lock: Lock = {
      version: 1,
      sets: [lockSet(set(names.slice(0, 2), "drizzle"), same, journalOf([{ tag: "0000_a", when: 100 }, { tag: "0001_b", when: 200 }]))],
    };
    expect(lock.sets[0]!.migrations.map((m) => m.when)).toEqual([100, 200]);

    const fine = journalOf([{ tag: "0000_a", when: 100 }, { tag: "0001_b", when: 200 }, { tag: "0002_c", when: 300 }]);
    expect(check(s, lock, names, fine)).toEqual([]);

    const moved = journalOf([{ tag: "0000_a", when: 100 }, { tag: "0001_b", when: 250 }, { tag: "0002_c", when: 300 }]);
    expect(check(s, lock, names, moved)).toEqual([["migration-modified", "journalWhen", "drizzle/meta/_journal.json", at(moved.text, "0001_b")]]);

    const stale = journalOf([{ tag: "0000_a", when: 100 }, { tag: "0001_b", when: 200 }, { tag: "0002_c", when: 150 }]);
    expect(check(s, lock, names, stale)).toEqual([["migration-out-of-order", "drizzleWhen", "drizzle/meta/_journal.json", at(stale.text, "0002_c")]]);

    // Without a lock, only the journal's own order.
    expect(check(s, undefined, names, stale)).toEqual([["migration-out-of-order", "journalOrder", "drizzle/meta/_journal.json", at(stale.text, "0002_c")]]);
    expect(check(s, undefined, ["0000_a"], stale)).toEqual([]);
  });
});

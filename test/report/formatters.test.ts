import { describe, expect, it } from "vitest";
import type { Finding, RuleMeta } from "../../src/lint/types.js";
import { formatters, type ReportInput } from "../../src/report/index.js";

const range = (line: number, column: number, endLine = line, endColumn = column + 5) => ({
  start: { offset: 0, line, column },
  end: { offset: 0, line: endLine, column: endColumn },
});

const meta = (id: string, severity: "error" | "warning"): RuleMeta => ({
  id,
  description: `${id} description`,
  category: "locking",
  defaultSeverity: severity,
  fixable: false,
  messages: { m: "x" },
  help: "do this instead",
  docs: { rationale: "why", bad: "", good: "" },
});

const findings: Finding[] = [
  {
    ruleId: "require-concurrent-index-creation",
    severity: "error",
    path: "migrations/0002_idx/up.sql",
    range: range(3, 1),
    messageId: "m",
    message: "CREATE INDEX on users locks writes, 100% of the time",
    help: "Use CREATE INDEX CONCURRENTLY",
    migrationId: "0002_idx",
  },
  { ruleId: "prefer-text-field", severity: "warning", path: "migrations/0002_idx/up.sql", range: range(1, 10), messageId: "m", message: "varchar(20)" },
  { ruleId: "empty-migration", severity: "warning", path: "migrations/0003_x/down.sql", range: range(1, 1), messageId: "m", message: "empty, a:b,c" },
];

const input = (over: Partial<ReportInput> = {}): ReportInput => ({
  files: [
    { path: "migrations/0002_idx/up.sql", migrationId: "0002_idx", root: "migrations", layout: "diesel", role: "up", reversibility: "reversible", transactional: true },
    { path: "migrations/0003_x/up.sql", migrationId: "0003_x", root: "migrations", layout: "diesel", role: "up", reversibility: "lossy", transactional: true },
    { path: "migrations/0003_x/down.sql", migrationId: "0003_x", root: "migrations", layout: "diesel", role: "down" },
  ],
  findings,
  rules: [meta("require-concurrent-index-creation", "error"), meta("prefer-text-field", "warning"), meta("empty-migration", "warning")],
  toolVersion: "1.2.3",
  color: false,
  ...over,
});

describe("stylish", () => {
  it("groups by file with line:col, severity, message, rule id and help", () => {
    expect(formatters.stylish(input())).toBe(
      [
        "migrations/0002_idx/up.sql",
        "  3:1   error    CREATE INDEX on users locks writes, 100% of the time  require-concurrent-index-creation",
        "        help: Use CREATE INDEX CONCURRENTLY",
        "  1:10  warning  varchar(20)  prefer-text-field",
        "",
        "migrations/0003_x/down.sql",
        "  1:1  warning  empty, a:b,c  empty-migration",
        "",
        "✖ 3 problems (1 error, 2 warnings) in 2 of 3 files",
        "",
      ].join("\n"),
    );
  });
  it("says so when clean, and colours only when asked", () => {
    expect(formatters.stylish(input({ findings: [] }))).toBe("3 files checked, no problems.\n");
    expect(formatters.stylish(input())).not.toContain("\u001b[");
    expect(formatters.stylish(input({ color: true }))).toContain("\u001b[31merror  \u001b[0m");
  });
});

describe("json", () => {
  it("has the documented stable shape", () => {
    const doc = JSON.parse(formatters.json(input())) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["version", "tool", "files", "findings", "summary"]);
    expect(doc["version"]).toBe(1);
    expect(doc["summary"]).toEqual({ files: 3, errors: 1, warnings: 2, infos: 0 });
    expect((doc["findings"] as unknown[])[0]).toEqual({
      ruleId: "require-concurrent-index-creation",
      severity: "error",
      path: "migrations/0002_idx/up.sql",
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 6,
      messageId: "m",
      message: "CREATE INDEX on users locks writes, 100% of the time",
      help: "Use CREATE INDEX CONCURRENTLY",
      migrationId: "0002_idx",
    });
    expect((doc["files"] as unknown[])[1]).toEqual(input().files[1]);
  });
});

describe("sarif", () => {
  // What GitHub code scanning requires of an upload (docs.github.com, "SARIF support for code scanning").
  it("meets GitHub code scanning's requirements", () => {
    const log = JSON.parse(formatters.sarif(input())) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[] }[];
      }[];
    };
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("migration-lint");
    expect(run.tool.driver.version).toBe("1.2.3");
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    for (const r of run.tool.driver.rules) {
      expect(r.helpUri).toMatch(new RegExp(`^https://.+/docs/rules/${r.id}\\.md$`));
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(["error", "warning", "note", "none"]).toContain(r.defaultConfiguration.level);
    }
    expect(run.results).toHaveLength(3);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|\\/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine);
      expect(Object.keys(res.partialFingerprints)).toEqual(["primaryLocationLineHash"]);
    }
    expect(run.results[0]!.message.text).toBe("CREATE INDEX on users locks writes, 100% of the time\nUse CREATE INDEX CONCURRENTLY");
  });
});

describe("github", () => {
  it("prints one escaped workflow command per finding", () => {
    expect(formatters.github(input()).split("\n")).toEqual([
      "::error file=migrations/0002_idx/up.sql,line=3,col=1,endLine=3,endColumn=6,title=migration-lint(require-concurrent-index-creation)::CREATE INDEX on users locks writes, 100%25 of the time%0AUse CREATE INDEX CONCURRENTLY",
      "::warning file=migrations/0002_idx/up.sql,line=1,col=10,endLine=1,endColumn=15,title=migration-lint(prefer-text-field)::varchar(20)",
      "::warning file=migrations/0003_x/down.sql,line=1,col=1,endLine=1,endColumn=6,title=migration-lint(empty-migration)::empty, a:b,c",
      "",
    ]);
  });
});

describe("junit", () => {
  it("writes one suite per file and a failure per error", () => {
    const out = formatters.junit(input());
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="migration-lint" tests="3" failures="1">')).toBe(true);
    expect(out).toContain('<testsuite name="migrations/0003_x/up.sql" tests="1" failures="0">');
    expect(out).toContain('<failure message="CREATE INDEX on users locks writes, 100% of the time" type="require-concurrent-index-creation">');
    expect(out.match(/<testsuite /g)).toHaveLength(3);
  });
});

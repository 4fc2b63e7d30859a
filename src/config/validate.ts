/** Validates a config value against the schema; a wrong key or value is an InputError naming its path. */
import type { z } from "zod";
import { InputError } from "../errors.js";
import { configSchema, type Config } from "./schema.js";

export function validate(raw: unknown, shown: string, knownRules?: ReadonlySet<string>): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(describeIssue(parsed.error.issues[0]!, raw), { path: shown });
  if (knownRules) {
    for (const id of Object.keys(parsed.data.rules)) {
      if (!knownRules.has(id)) {
        const near = closest(id, knownRules);
        throw new InputError(`rules.${id}: unknown rule${near ? ` (did you mean "${near}"?)` : ""}`, { path: shown });
      }
    }
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = issue.path.length ? issue.path.map(String).join(".") : "(root)";
  if (issue.code === "unrecognized_keys") return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  // A rule's setting is a union (severity, [severity], [severity, options]): zod says only "Invalid input".
  if (issue.code === "invalid_union" && issue.path[0] === "rules" && issue.path.length === 2) {
    const got = JSON.stringify(valueAt(raw, issue.path)) ?? "nothing";
    return `${where}: expected "off", "info", "warning" or "error", or [severity, { options }] (got ${got})`;
  }
  return `${where}: ${issue.message}`;
}

function valueAt(raw: unknown, at: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of at) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function closest(id: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}


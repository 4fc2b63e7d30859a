/**
 * The parse-only floor: one process that finds every `.sql` file under a folder, reads it and parses
 * it with libpg-query, and does nothing else. migration-lint parses every file too, so its run cannot
 * be faster than this; the bench reports how far above it we are.
 *
 *   node dist/bench/floor.js <dir> [--list]
 *
 * `--list` prints the files libpg-query rejects (the bench hands pgfence the others, because pgfence
 * stops its whole run at the first file it cannot parse).
 */
import { readFileSync } from "node:fs";
import { loadModule, parseSync } from "libpg-query";
import { sqlFiles } from "./corpus.js";

async function main(argv: string[]): Promise<void> {
  const dir = argv.find((a) => !a.startsWith("--"));
  if (!dir) throw new Error("usage: floor.js <dir> [--list]");
  await loadModule();
  const rejected: string[] = [];
  for (const file of sqlFiles(dir)) {
    const text = readFileSync(file, "utf8");
    // An empty file holds no statement; libpg-query refuses empty input rather than returning none.
    if (!text.trim()) continue;
    try {
      parseSync(text);
    } catch {
      rejected.push(file);
    }
  }
  if (argv.includes("--list")) process.stdout.write(rejected.map((f) => `${f}\n`).join(""));
}

await main(process.argv.slice(2));

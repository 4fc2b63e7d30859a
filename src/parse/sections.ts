/**
 * Files that hold both directions: dbmate's `-- migrate:up` / `-- migrate:down` markers, and the
 * inline `-- ROLLBACK START` … `-- ROLLBACK END` convention some teams use. The regions found here
 * are what `parseSql` is given, so positions stay those of the whole file.
 *
 * Every runner but dbmate applies the WHOLE file, so an inline ROLLBACK section must be commented
 * out (`-- ` before each line) or the runner undoes the migration right after applying it. The down
 * is read from both forms: `uncommentSections` blanks the comment markers to spaces (same length,
 * so every position still points into the real file).
 */
import type { Region } from "./types.js";

export interface Sections {
  kind: "dbmate" | "rollback" | "none";
  up: Region[];
  down: Region[];
  /** Where the down section's body starts and ends (for rewriting it); absent when there is none. */
  downRegion?: Region;
  /** dbmate's `transaction:false` option on the up marker. */
  upTransaction?: boolean;
}

const DBMATE_UP = /^--\s*migrate:up\b(.*)$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b.*$/m;
const ROLLBACK = /^--\s*ROLLBACK\s+START\b.*$([\s\S]*?)^--\s*ROLLBACK\s+END\b.*$/gim;

export function findSections(text: string): Sections {
  const up = DBMATE_UP.exec(text);
  if (up) {
    const upStart = up.index + up[0].length;
    const down = DBMATE_DOWN.exec(text.slice(upStart));
    const upEnd = down ? upStart + down.index : text.length;
    const sections: Sections = { kind: "dbmate", up: [{ start: upStart, end: upEnd }], down: [] };
    if (down) {
      const downStart = upEnd + down[0].length;
      sections.down = [{ start: downStart, end: text.length }];
      sections.downRegion = { start: downStart, end: text.length };
    }
    if (/\btransaction\s*:\s*false\b/i.test(up[1] ?? "")) sections.upTransaction = false;
    return sections;
  }
  const up2: Region[] = [];
  const down2: Region[] = [];
  let last = 0;
  for (const m of text.matchAll(ROLLBACK)) {
    up2.push({ start: last, end: m.index });
    const bodyStart = m.index + m[0].indexOf(m[1]!);
    down2.push({ start: bodyStart, end: bodyStart + m[1]!.length });
    last = m.index + m[0].length;
  }
  if (!down2.length) return { kind: "none", up: [{ start: 0, end: text.length }], down: [] };
  up2.push({ start: last, end: text.length });
  return { kind: "rollback", up: up2, down: down2, downRegion: down2[0] };
}

/** A line that is neither blank nor a `--` comment: SQL the runner would execute. */
const LIVE_LINE = /^[ \t]*(?!--)\S/m;

/** Does this region of the file hold SQL outside `--` comments (block comments count as SQL here)? */
export function isLiveSection(text: string, region: Region): boolean {
  return LIVE_LINE.test(text.slice(region.start, region.end));
}

/**
 * The file's text with one `--` comment level removed from every line of the commented regions (a
 * `-- ` or `--` at the line's start, after indentation, becomes spaces). A live region is left as it
 * is: its comments are comments.
 */
export function uncommentSections(text: string, regions: readonly Region[]): string {
  let out = text;
  for (const r of regions) {
    if (isLiveSection(out, r)) continue;
    const body = out.slice(r.start, r.end).replace(/^([ \t]*)-- ?/gm, (whole: string, indent: string) => indent + " ".repeat(whole.length - indent.length));
    out = out.slice(0, r.start) + body + out.slice(r.end);
  }
  return out;
}

/** SQL as the body of an inline ROLLBACK section: every non-blank line behind `-- `. */
export function commentOut(sql: string): string {
  return sql.replace(/^(?=.*\S)/gm, "-- ");
}

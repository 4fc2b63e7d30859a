/**
 * Inline `-- ROLLBACK START` … `-- ROLLBACK END` sections, for every layout whose runner applies the
 * whole file (supabase, plain, postgres-migrations, Flyway, prisma, golang-migrate, …): only dbmate
 * reads sections of its own (`-- migrate:down`), and its files are split by its layout already.
 *
 * The section is not part of the up (the lint and the replay skip it) and is the migration's down when
 * no down file exists. The runner still executes whatever the section holds as live SQL, which the
 * `live-rollback-section` rule reports; `--fix` writes sections commented out, and the down is read
 * from either form (`uncommentSections`).
 */
import { findSections, isLiveSection, uncommentSections } from "../parse/sections.js";
import type { Migration, MigrationSet } from "./types.js";

/** Splits the up files of a loaded set that carry inline ROLLBACK sections (in place). */
export function splitInlineRollbacks(set: MigrationSet): void {
  if (set.layout === "dbmate") return;
  let inline = 0;
  let downFiles = 0;
  for (const m of set.migrations) {
    if (splitOne(m)) inline++;
    else if (m.down) downFiles++;
  }
  // The team keeps its downs inline (more sections than down files): the others are expected to
  // have one too, written as a section of their up file.
  if (inline <= downFiles) return;
  for (const m of set.migrations) {
    if (m.external || m.prelude) continue;
    m.expectsDown = true;
    if (!m.down && m.downTarget.kind === "file") m.downTarget = { kind: "section", path: m.up.path, style: "rollback" };
  }
}

function splitOne(m: Migration): boolean {
  if (m.external === "up") return false;
  const sections = findSections(m.up.text);
  if (sections.kind !== "rollback") return false;
  const text = m.up.text;
  m.rollbackSections = sections.down.map((region) => ({ region, live: isLiveSection(text, region) }));
  // A layout that split the file already (plain) gave the up its regions; the rest get them here.
  if (!m.up.regions) m.up = { ...m.up, regions: sections.up };
  if (!m.down || m.down.path === m.up.path) {
    m.down = { path: m.up.path, text: uncommentSections(text, sections.down), regions: sections.down };
    m.downTarget = { kind: "section", path: m.up.path, style: "rollback" };
  }
  return true;
}

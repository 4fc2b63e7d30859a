/**
 * An extracted direction as the `SqlFile` every later stage reads: the SQL of each sink call, one
 * region each (a call is sent on its own, as a file section is), joined by newlines into one text whose
 * `origin` maps every character back into the module.
 */
import type { DynamicSqlNote, SqlFile } from "../layout/types.js";
import { SourceText } from "../parse/source.js";
import type { Region } from "../parse/types.js";
import type { ExtractedDirection, ExtractedModule } from "./extract.js";

export function directionSqlFile(path: string, moduleText: string, direction: ExtractedDirection | undefined, errors: ExtractedModule["errors"] = []): SqlFile {
  let text = "";
  const map: number[] = [];
  const regions: Region[] = [];
  const pieces = direction?.sql ?? [];
  for (const piece of pieces) {
    const start = text.length;
    text += piece.sql.text;
    map.push(...piece.sql.map.slice(0, piece.sql.text.length));
    regions.push({ start, end: text.length });
    // The separator stands for the closing quote of the literal.
    text += "\n";
    map.push(piece.sql.map[piece.sql.text.length]!);
  }
  map.push(map.length ? map[map.length - 1]! : 0);
  const module = new SourceText(moduleText, path);
  const dynamic: DynamicSqlNote[] = (direction?.dynamic ?? []).map((d) => {
    const at = module.positionAtIndex(d.index);
    // Order among the extracted SQL: before the first piece whose call starts after it.
    const next = pieces.findIndex((p) => p.call.start > d.index);
    return { kind: d.kind, expression: d.expression, line: at.line, column: at.column, at: next < 0 ? text.length : regions[next]!.start };
  });
  return {
    path,
    text,
    regions,
    origin: { text: moduleText, map, ...(errors.length ? { errors } : {}) },
    ...(dynamic.length ? { dynamic } : {}),
  };
}

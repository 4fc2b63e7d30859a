/**
 * PostgreSQL reads a migration as UTF-8 and rejects the whole file at the first byte that is not
 * (`invalid byte sequence for encoding "UTF8": 0xe9 0x0a`), and at a NUL byte, which no text column
 * or statement can hold. Node's "utf8" decoding would instead turn such bytes into U+FFFD and lint a
 * file the server refuses: this finds the byte and says where it is.
 */
import { isUtf8 } from "node:buffer";
import type { Position } from "../parse/source.js";

export interface EncodingProblem {
  message: string;
  position: Position;
}

/** The first byte PostgreSQL would reject, or undefined for valid UTF-8 without NUL. */
export function encodingProblem(bytes: Uint8Array): EncodingProblem | undefined {
  const nul = bytes.indexOf(0);
  if (nul < 0 && isUtf8(bytes)) return undefined;
  const bad = firstInvalid(bytes, nul < 0 ? bytes.length : nul);
  const at = bad ?? nul;
  const shown = Array.from(bytes.subarray(at, Math.min(at + (bytes[at] === 0 ? 1 : 2), bytes.length)), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
  return { message: `invalid byte sequence for encoding "UTF8": ${shown}`, position: positionOfByte(bytes, at) };
}

/** Index of the first byte (before `limit`) that starts no valid UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array, limit: number): number | undefined {
  let i = 0;
  while (i < limit) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !isUtf8(bytes.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return undefined;
}

/** 1-based line and column (in characters, as editors count) of a byte; the bytes before it are valid. */
function positionOfByte(bytes: Uint8Array, at: number): Position {
  // lastIndexOf with a negative start would count from the end.
  const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const column = Buffer.from(bytes.subarray(lineStart, at)).toString("utf8").length + 1;
  return { offset: at, line, column };
}

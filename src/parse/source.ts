/**
 * A SQL text with the position arithmetic the rest of the tool needs.
 *
 * libpg-query reports statement locations as UTF-8 byte offsets and syntax errors as 0-based
 * character (code point) offsets, while JavaScript strings index UTF-16 code units and users read
 * 1-based line:column. All conversions live here so no other module does offset arithmetic.
 */

export interface Position {
  /** UTF-8 byte offset from the start of the file. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters (UTF-16 code units, as editors and ESLint count). */
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Where a text that was taken out of another file came from (the SQL of a TypeScript migration's
 * `queryRunner.query(…)` calls): `map[i]` is the index in `text` (the whole `.ts` file) of character
 * `i`, so line:column point into that file while offsets stay in the extracted SQL.
 */
export interface SourceOrigin {
  text: string;
  /** One entry per character of the extracted text, plus one for its end. */
  map: number[];
  /** Syntax errors of the module itself, as UTF-16 indexes into `text`. */
  errors?: { message: string; index: number }[];
}

export class SourceText {
  readonly text: string;
  readonly path: string;
  /** Set when the text was extracted from a module: positions are reported in the module. */
  readonly origin?: { source: SourceText; map: number[] };
  /** UTF-16 index of the first character of each line. */
  private readonly lineStarts: number[];
  /** Null when the text is pure ASCII: then byte offset = string index. */
  private readonly byteOfIndex: Uint32Array | null;

  constructor(text: string, path = "<input>", origin?: SourceOrigin) {
    this.text = text;
    this.path = path;
    if (origin) this.origin = { source: new SourceText(origin.text, path), map: origin.map };
    this.lineStarts = [0];
    // indexOf, not a loop over every character: every parsed text (each up, down and generated down) builds one.
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    // Pure ASCII exactly when every UTF-16 unit is one UTF-8 byte; V8 counts the bytes several times
    // faster than the regex /^[\x00-\x7f]*$/ scans (0.4% of a corpus run: every up, down and generated down).
    this.byteOfIndex = Buffer.byteLength(text, "utf8") === text.length ? null : computeByteOffsets(text);
  }

  get byteLength(): number {
    return this.byteOfIndex ? this.byteOfIndex[this.text.length]! : this.text.length;
  }

  /** UTF-16 index → byte offset. */
  byteAt(index: number): number {
    if (!this.byteOfIndex) return index;
    return this.byteOfIndex[Math.max(0, Math.min(index, this.text.length))]!;
  }

  /** Byte offset → UTF-16 index (the first index whose byte offset is ≥ the given one). */
  indexAt(byte: number): number {
    if (!this.byteOfIndex) return Math.max(0, Math.min(byte, this.text.length));
    const table = this.byteOfIndex;
    let lo = 0;
    let hi = this.text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table[mid]! < byte) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of a UTF-16 index. */
  positionAtIndex(index: number): Position {
    const clamped = Math.max(0, Math.min(index, this.text.length));
    if (this.origin) {
      const at = this.origin.source.positionAtIndex(this.origin.map[clamped] ?? this.origin.source.text.length);
      return { offset: this.byteAt(clamped), line: at.line, column: at.column };
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { offset: this.byteAt(clamped), line: lo + 1, column: clamped - this.lineStarts[lo]! + 1 };
  }

  positionAtByte(byte: number): Position {
    return this.positionAtIndex(this.indexAt(byte));
  }

  /** UTF-16 index of the n-th code point after `fromIndex` (libpg-query's error cursor counts code points). */
  indexAfterCodePoints(fromIndex: number, codePoints: number): number {
    let i = fromIndex;
    for (let n = 0; n < codePoints && i < this.text.length; n++) {
      const c = this.text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return i;
  }

  rangeOfIndexes(startIndex: number, endIndex: number): Range {
    return { start: this.positionAtIndex(startIndex), end: this.positionAtIndex(endIndex) };
  }

  sliceBytes(startByte: number, endByte: number): string {
    return this.text.slice(this.indexAt(startByte), this.indexAt(endByte));
  }
}

function computeByteOffsets(text: string): Uint32Array {
  const table = new Uint32Array(text.length + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = byte;
    const c = text.charCodeAt(i);
    if (c < 0x80) byte += 1;
    else if (c < 0x800) byte += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte code point; its low half is not a boundary of its own.
      table[++i] = byte;
      byte += 4;
    } else byte += 3;
  }
  table[text.length] = byte;
  return table;
}

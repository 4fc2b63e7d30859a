/**
 * The value of a JavaScript string or template literal with, for every character of the value, the
 * index of the source character it came from. Escapes (`\n`, `\'`, `\u00e9`, a line continuation) make
 * the value and the source text differ, and a finding must point at the exact character in the `.ts`
 * file, so the decoder keeps the map as it goes instead of trusting the parser's cooked value alone.
 */

/** A piece of text taken from a module, with `map[i]` = the file index of `text[i]`. */
export interface MappedText {
  text: string;
  /** `text.length + 1` entries: the last one is the file index just after the piece. */
  map: number[];
}

/**
 * Decodes the raw source `file.slice(start, end)` (a literal's content, without its quotes or
 * backticks). `template` selects the template rules: CR and CRLF become LF, and no legacy octal.
 */
export function decodeLiteral(file: string, start: number, end: number, template: boolean): MappedText {
  let text = "";
  const map: number[] = [];
  const push = (s: string, at: number): void => {
    for (let k = 0; k < s.length; k++) map.push(at);
    text += s;
  };
  let i = start;
  while (i < end) {
    const c = file[i]!;
    if (c === "\r" && template) {
      push("\n", i);
      i += file[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    if (c !== "\\") {
      push(c, i);
      i++;
      continue;
    }
    const at = i;
    const n = file[i + 1] ?? "";
    i += 2;
    switch (n) {
      case "n": push("\n", at); break;
      case "r": push("\r", at); break;
      case "t": push("\t", at); break;
      case "b": push("\b", at); break;
      case "f": push("\f", at); break;
      case "v": push("\v", at); break;
      case "\r":
        if (file[i] === "\n") i++;
        break; // a line continuation adds nothing
      case "\n":
      case "\u2028":
      case "\u2029":
        break;
      case "x": {
        push(String.fromCharCode(parseInt(file.slice(i, i + 2), 16)), at);
        i += 2;
        break;
      }
      case "u": {
        if (file[i] === "{") {
          const close = file.indexOf("}", i);
          push(String.fromCodePoint(parseInt(file.slice(i + 1, close), 16)), at);
          i = close + 1;
        } else {
          push(String.fromCharCode(parseInt(file.slice(i, i + 4), 16)), at);
          i += 4;
        }
        break;
      }
      default: {
        if (!template && n >= "0" && n <= "7") {
          // Legacy octal escape (sloppy-mode strings only): up to three digits, value ≤ 0o377.
          let digits = n;
          while (digits.length < 3 && /[0-7]/.test(file[i] ?? "") && parseInt(digits + file[i], 8) <= 0o377) digits += file[i++];
          push(String.fromCharCode(parseInt(digits, 8)), at);
        } else if (n.charCodeAt(0) >= 0xd800 && n.charCodeAt(0) <= 0xdbff) {
          push(file.slice(at + 1, at + 3), at);
          i++;
        } else push(n, at);
      }
    }
  }
  map.push(end);
  return { text, map };
}

/** Joins pieces (a concatenation of literals) keeping each character's origin. */
export function joinMapped(pieces: readonly MappedText[]): MappedText {
  if (pieces.length === 1) return pieces[0]!;
  let text = "";
  const map: number[] = [];
  for (const p of pieces) {
    text += p.text;
    map.push(...p.map.slice(0, p.text.length));
  }
  map.push(pieces.length ? pieces[pieces.length - 1]!.map[pieces[pieces.length - 1]!.text.length]! : 0);
  return { text, map };
}

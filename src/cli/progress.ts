/**
 * A progress bar on stderr, only on a TTY outside CI, and only once a run has taken over a second:
 * short runs and logs stay clean.
 */
export interface Progress {
  update(done: number, total: number): void;
  /** What happens before there is anything to count (`starting embedded PostgreSQL (PGlite)`): shown at once, it can take seconds. */
  stage(text: string): void;
  done(): void;
}

const SILENT: Progress = { update() {}, stage() {}, done() {} };

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || process.env["CI"]) return SILENT;
  const started = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (Date.now() - started < 1000 && !shown) return;
      shown = true;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      stream.write(`\r\u001b[K${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
    },
    stage(text) {
      shown = true;
      stream.write(`\r\u001b[K${label}: ${text}…`);
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
    },
  };
}

/**
 * A progress bar on stderr, only on a TTY outside CI, and only once a run has taken over a second:
 * short runs and logs stay clean.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

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
      stream.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (shown) stream.write("\r\u001b[K");
    },
  };
}

/**
 * The explicit yes: asked on a terminal, never assumed. Without a terminal (CI, a pipe) there is no one to
 * ask, so the caller refuses unless `--yes` was given.
 */
import { createInterface } from "node:readline/promises";

export function canAsk(): boolean {
  return !!process.stdin.isTTY && !!process.stderr.isTTY;
}

/** True only for `yes` (or `y`), typed by the user. */
export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [yes/no] `);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * Whether the run was interrupted (Ctrl-C, SIGTERM). A command that catches the signal to clean up (the
 * verify engine drops its throw-away database) notes it here: whatever fails afterwards because the
 * engine went away ("Connection terminated") is the interruption, not an internal error.
 */
let received: NodeJS.Signals | undefined;

export function noteInterrupt(signal: NodeJS.Signals): void {
  received ??= signal;
}

export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 130, SIGTERM 143). */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return signal === "SIGTERM" ? 143 : signal === "SIGHUP" ? 129 : 130;
}

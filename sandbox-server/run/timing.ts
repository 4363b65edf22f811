/** Timings of a run's life, named once. Each says why it has its value. */

/** The next process starts at the latest this long after the previous one (issue 2's rule). */
export const START_WAIT_MS = 2000;
/** How often a starting process is checked for a new listening socket: fast, it gates the next start. */
export const READY_POLL_MS = 5;
/** Serving processes are stopped after this much quiet once everything else has exited. */
export const SERVING_GRACE_MS = 500;
/**
 * The grace once only peers are left serving: a peer says its last words (the echo's "closed the
 * connection") within milliseconds of the learner's exit, and a learner waits for nothing more.
 */
export const PEER_GRACE_MS = 30;
/** Output during the grace extends it, but never beyond this. */
export const MAX_SERVING_GRACE_MS = 2000;
/** How often the kernel-counted limits (CPU, memory, pids) are checked. */
export const MONITOR_TICK_MS = 50;
/**
 * How often the natural end is looked for besides each process exit (which looks at once): only
 * a process that starts serving while the others have already exited needs it. Each look reads
 * the namespace's socket tables and every process's fds; doing it every tick cost 40 runs at once
 * more CPU than their programs.
 */
export const END_CHECK_MS = 250;
/** After a process exits, how long its last output may still take to drain from the pipes. */
export const DRAIN_MS = 200;
/** Output coalescing window and the largest single output event, in characters. */
export const COALESCE_WINDOW_MS = 15;
/** A partial line (a prompt, or print's text before its newline) waits this long for more. */
export const PARTIAL_LINE_MS = 3;
export const MAX_OUTPUT_EVENT_CHARS = 64 * 1024;
/** Most peer reports kept per run (a flood of messages to an echo peer makes many). */
export const MAX_REPORTS = 10_000;
/**
 * Report text kept per peer process. Reports carry data learner code sent, so the learner sets
 * their size: one line holds at most a 64 KiB socket read, escaped; all lines together stay small.
 */
export const REPORT_BUDGET = Object.freeze({
  maxLineChars: 512 * 1024,
  maxTotalChars: 1024 * 1024,
});
/** Typed input a program has not read yet, beyond which more input is dropped. */
export const MAX_UNREAD_STDIN_BYTES = 1024 * 1024;

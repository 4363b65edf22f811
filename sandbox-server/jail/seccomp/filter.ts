/** The seccomp filter for learner processes (none yet: see issue 3). */

/** The compiled BPF program to apply to learner processes, or undefined when none is available. */
export async function learnerSeccomp(): Promise<Buffer | undefined> {
  return undefined;
}

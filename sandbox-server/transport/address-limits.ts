/**
 * Counts what each client address holds (open connections, live runs) against a cap, so one
 * address cannot take every slot or socket. Release functions are idempotent.
 */
export class AddressLimit {
  private readonly counts = new Map<string, number>();
  readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  /** Takes one unit for `address`; returns its release, or null when the address is at its cap. */
  tryAcquire(address: string): (() => void) | null {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.max) return null;
    this.counts.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(address) ?? 1) - 1;
      if (left > 0) this.counts.set(address, left);
      else this.counts.delete(address);
    };
  }

  /** Units held by `address` now. */
  held(address: string): number {
    return this.counts.get(address) ?? 0;
  }
}

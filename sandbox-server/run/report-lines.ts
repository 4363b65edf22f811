/**
 * Splits a peer's report channel into lines under a budget. A peer reports what learner code
 * sent it, so the volume is the learner's to choose: without a bound, a flood to an echo peer
 * made the server keep hundreds of MiB of reports for one run.
 */

/** How much of a report stream is kept. */
export interface ReportBudget {
  /** Longest line kept, in characters; a longer one is skipped whole. */
  maxLineChars: number;
  /** Characters of all kept lines together; past it, everything is skipped. */
  maxTotalChars: number;
}

/** Turns chunks of text into whole lines, skipping what is over the budget. */
export class ReportLines {
  private readonly budget: ReportBudget;
  private partial = '';
  /** True while inside a line that grew too long, until its newline. */
  private skipping = false;
  private used = 0;

  constructor(budget: ReportBudget) {
    this.budget = budget;
  }

  /** True once the total budget is spent: the caller may stop parsing and only drain. */
  get exhausted(): boolean {
    return this.used >= this.budget.maxTotalChars;
  }

  /** The whole lines completed by `text`, within the budget. */
  push(text: string): string[] {
    if (this.exhausted) return [];
    const pieces = text.split('\n');
    const tail = pieces.pop()!;
    const lines: string[] = [];
    for (const piece of pieces) {
      const line = this.partial + piece;
      this.partial = '';
      if (this.skipping) this.skipping = false;
      else if (line.length <= this.budget.maxLineChars) this.keep(line, lines);
    }
    this.partial += tail;
    if (this.partial.length > this.budget.maxLineChars) {
      this.partial = '';
      this.skipping = true;
    }
    return lines;
  }

  private keep(line: string, lines: string[]): void {
    if (this.used + line.length > this.budget.maxTotalChars) {
      this.used = this.budget.maxTotalChars;
      return;
    }
    this.used += line.length;
    lines.push(line);
  }
}

/**
 * The run's capture kept for download: the file header, then whole records until a byte budget
 * is spent, so what is kept is always a valid pcap that Wireshark opens. Records are copied into
 * fixed blocks, so the memory held is the budget, not the pipe's chunks it came in.
 */

const BLOCK_BYTES = 256 * 1024;

/** A bounded pcap file in memory. */
export class PcapStore {
  private readonly maxBytes: number;
  private readonly blocks: Uint8Array[] = [];
  private fill = 0;
  private total = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes kept. */
  get size(): number {
    return this.total;
  }

  /** Keeps `bytes` (the file header or one whole record); false, keeping nothing, when over budget. */
  add(bytes: Uint8Array): boolean {
    if (this.total + bytes.length > this.maxBytes) return false;
    let offset = 0;
    while (offset < bytes.length) {
      let block = this.blocks.at(-1);
      if (block === undefined || this.fill === block.length) {
        block = new Uint8Array(Math.min(BLOCK_BYTES, this.maxBytes));
        this.blocks.push(block);
        this.fill = 0;
      }
      const take = Math.min(bytes.length - offset, block.length - this.fill);
      block.set(bytes.subarray(offset, offset + take), this.fill);
      this.fill += take;
      offset += take;
    }
    this.total += bytes.length;
    return true;
  }

  /** The kept capture as one pcap file. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const block of this.blocks) {
      const used = Math.min(block.length, this.total - offset);
      out.set(block.subarray(0, used), offset);
      offset += used;
    }
    return out;
  }
}

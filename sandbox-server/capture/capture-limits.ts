/** Defaults of a run's packet capture; every one can be overridden per capture. */
export const CAPTURE_DEFAULTS = Object.freeze({
  /** Packets decoded and sent per run; past it, one `capture-truncated` notice. */
  maxPackets: 10_000,
  /** Bytes of pcap kept per run for the download (whole records only). */
  maxPcapBytes: 8 * 1024 * 1024,
  /** Bytes captured per packet: every header plus ~900 bytes of payload for Wireshark. */
  snaplen: 1024,
  /** How long tcpdump may take to start listening before the capture counts as failed. */
  readyTimeoutMs: 5_000,
  /** How long stop() waits for tcpdump to flush and exit before killing it. */
  stopTimeoutMs: 2_000,
});

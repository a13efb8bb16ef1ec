// Running totals the trackers keep for /metrics (counts only: never per-connection labels).

export class TrackerStats {
  tcpPackets = 0;
  udpPackets = 0;
  icmpPackets = 0;
  otherPackets = 0;
  // Copies of forwarded packets in `-i any` captures, dropped before tracking.
  duplicatePackets = 0;
  connectionsOpened = 0;
  connectionsEvicted = 0;
  retransmits = 0;
  fastRetransmits = 0;
  outOfOrder = 0;
  zeroWindow = 0;
  reassemblyGaps = 0;
  dnsPendingEvicted = 0;
  httpPendingEvicted = 0;
  // HTTP/1 streams that lost their framing to missing bytes and looked for the next message start.
  httpResyncs = 0;
  // Application payloads the parsers could not read (counted, never thrown).
  parseErrors = 0;
  // Enrichers (identity, policy) that threw on an event.
  enrichErrors = 0;
  onHandshakeRtt: ((us: number) => void) | undefined;
}

// Knobs of the trackers; defaults suit a node agent, tests shrink the timeouts.

export interface TrackerOptions {
  // Where the events came from (pcap, live) and which node saw them.
  source: string;
  node?: string;
  maxConnections: number;
  // A connection with no packet for this long is closed and reported.
  idleTimeoutMs: number;
  // A SYN with no answer for this long after its last attempt is reported as a drop.
  unansweredSynMs: number;
  // Long connections report a cumulative flow event this often.
  flowUpdateIntervalMs: number;
  dnsTimeoutMs: number;
  maxPendingDnsQueries: number;
  // Out-of-order bytes held per direction while waiting for a gap to fill.
  reassemblyBufferBytes: number;
  http: HttpCaptureOptions;
}

export interface HttpCaptureOptions {
  // Header names (lowercase) whose values are replaced by "[redacted]".
  redactHeaders: string[];
  captureBodies: boolean;
  maxBodyBytes: number;
  // Requests awaiting a response per connection (pipelining depth kept).
  maxPendingRequests: number;
}

export const DEFAULT_REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'];

export function defaultTrackerOptions(overrides: Partial<TrackerOptions> = {}): TrackerOptions {
  return {
    source: 'pcap',
    maxConnections: 100_000,
    idleTimeoutMs: 120_000,
    unansweredSynMs: 3_000,
    flowUpdateIntervalMs: 30_000,
    dnsTimeoutMs: 5_000,
    maxPendingDnsQueries: 50_000,
    reassemblyBufferBytes: 256 * 1024,
    ...overrides,
    http: {
      redactHeaders: DEFAULT_REDACTED_HEADERS,
      captureBodies: false,
      maxBodyBytes: 4096,
      maxPendingRequests: 32,
      ...overrides.http,
    },
  };
}

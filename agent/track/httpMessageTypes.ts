// What the HTTP/1 exchange tracker needs from a parsed message head (request line or status line plus headers).

export interface HttpHead {
  kind: 'request' | 'response';
  method?: string;
  target?: string;
  status?: number;
  // HTTP/1.0 or HTTP/1.1.
  version: string;
  // Lowercase names; repeated headers joined with ", ".
  headers: Record<string, string>;
}

// Parses a complete head (everything up to and including the blank line); undefined when it is not HTTP/1.
export type HttpHeadParser = (head: Uint8Array) => HttpHead | undefined;

// Adapters from the DNS parser in agent/decode/ to what the DNS pairing needs.
import { dnsAnswerTexts, parseDnsMessage, type DnsParseResult } from '../decode/dns/dnsMessage';
import { DnsTcpStreamParser } from '../decode/dns/dnsTcpStream';
import type { DnsMessageSummary } from './dnsExchangeTracker';

export function summarizeDns(result: DnsParseResult): DnsMessageSummary | undefined {
  if (!result.ok) {
    return undefined;
  }
  const m = result.message;
  const q = m.questions[0];
  return {
    id: m.id,
    isResponse: m.isResponse,
    rcode: m.rcode,
    ...(q ? { question: { name: q.name, type: q.typeName } } : {}),
    answers: m.isResponse ? dnsAnswerTexts(m) : [],
  };
}

export function parseDnsSummary(payload: Uint8Array): DnsMessageSummary | undefined {
  return summarizeDns(parseDnsMessage(payload));
}

// DNS over TCP: length-prefixed messages split across segments anywhere.
export function dnsTcpReader(onMessage: (message: DnsMessageSummary | undefined) => void): {
  push(bytes: Uint8Array): void;
} {
  return new DnsTcpStreamParser((result) => onMessage(summarizeDns(result)));
}

// Matching what the harness did (its manifest) against the events the agent reported.
import type { NetworkEvent } from '../../model/events';
import type { ConnectFailureRecord, DnsLookupRecord, HttpExchangeRecord } from '../netns/manifest';

export function findDrop(events: NetworkEvent[], d: ConnectFailureRecord): NetworkEvent | undefined {
  return events.find(
    (e) =>
      e.kind === 'drop' &&
      e.drop?.reason === 'unanswered_syn' &&
      e.src.ip === d.clientIp &&
      (d.srcPort === undefined || e.src.port === d.srcPort) &&
      e.dst.ip === d.serverIp &&
      e.dst.port === d.serverPort
  );
}

export function findReset(events: NetworkEvent[], r: ConnectFailureRecord): NetworkEvent | undefined {
  return events.find(
    (e) =>
      e.kind === 'reset' &&
      e.drop?.reason === 'connection_refused' &&
      e.src.ip === r.clientIp &&
      e.dst.ip === r.serverIp &&
      e.dst.port === r.serverPort
  );
}

export function findDns(events: NetworkEvent[], q: DnsLookupRecord): NetworkEvent | undefined {
  return events.find(
    (e) =>
      e.kind === 'dns' &&
      e.dns?.query === q.name &&
      e.dns.qtype === q.qtype &&
      e.dns.answered &&
      e.dns.rcode === q.rcode &&
      e.dst.ip === q.serverIp
  );
}

export function findExchange(events: NetworkEvent[], x: HttpExchangeRecord): NetworkEvent | undefined {
  return events.find((e) => e.kind === 'http' && e.traceId === x.traceId);
}

// A comparable identity of an event, independent of which run mode produced it.
export function eventSignature(e: NetworkEvent): string {
  switch (e.kind) {
    case 'http':
      return `http ${e.traceId} ${e.http?.method} ${e.http?.path} ${e.http?.status}`;
    case 'dns':
      return `dns ${e.dns?.query} ${e.dns?.rcode} ${e.dns?.answers.join(',')}`;
    case 'drop':
    case 'reset':
      return `${e.kind} ${e.drop?.reason} ${e.src.ip}:${e.src.port}>${e.dst.ip}:${e.dst.port}`;
    default:
      return `${e.kind} ${e.src.ip}:${e.src.port}>${e.dst.ip}:${e.dst.port}`;
  }
}

// How `analyze` prints events: JSON lines (the default, machine-readable) or an aligned table for people.
import type { Endpoint, NetworkEvent } from '../../model/events';

export function formatJsonLine(event: NetworkEvent): string {
  return JSON.stringify(event);
}

function endpoint(e: Endpoint): string {
  const who = e.pod ? `${e.namespace ?? ''}/${e.pod}` : e.ip;
  return e.port !== undefined ? `${who}:${e.port}` : who;
}

function detail(e: NetworkEvent): string {
  switch (e.kind) {
    case 'flow': {
      const f = e.flow;
      const tcp = f?.tcp;
      const rtt = tcp?.handshakeRttUs !== undefined ? ` rtt=${tcp.handshakeRttUs}us` : '';
      return `${f?.state ?? ''}${rtt} retrans=${tcp?.retransmits ?? 0} pkts=${(f?.toServer.packets ?? 0) + (f?.toClient.packets ?? 0)}${f?.appProtocol ? ` ${f.appProtocol}` : ''}`;
    }
    case 'drop':
    case 'reset':
      return `${e.drop?.reason ?? ''}${e.drop?.attempts ? ` attempts=${e.drop.attempts}` : ''}`;
    case 'dns':
      return `${e.dns?.qtype} ${e.dns?.query} ${e.dns?.answered ? (e.dns.rcode ?? '') : 'unanswered'} ${e.dns?.answers.join(',') ?? ''}`.trim();
    case 'http':
      return `${e.http?.method} ${e.http?.host ?? ''}${e.http?.path} ${e.http?.status ?? 'no response'}${e.traceId ? ` trace=${e.traceId}` : ''}`;
    case 'tls':
      return `sni=${e.tls?.sni ?? ''} ${e.tls?.version ?? ''}`.trim();
    default:
      return '';
  }
}

export function formatTableRow(event: NetworkEvent): string {
  const time = new Date(Math.floor(event.time / 1000))
    .toISOString()
    .replace(/\.(\d{3})Z$/, `.$1${String(event.time % 1000).padStart(3, '0')}Z`);
  return [
    time,
    event.kind.padEnd(5),
    event.transport.padEnd(4),
    `${endpoint(event.src)} → ${endpoint(event.dst)}`.padEnd(48),
    detail(event),
  ].join('  ');
}

export const TABLE_HEADER = ['time'.padEnd(27), 'kind ', 'l4  ', 'source → destination'.padEnd(48), 'detail'].join(
  '  '
);

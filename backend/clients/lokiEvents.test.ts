import type { NetworkEvent } from '../../model/events';
import { mergeEvents, parseEventLines } from './lokiEvents';
import type { LogLine } from './lokiLogLine';

function drop(revision: number, attempts: number, packets: number): NetworkEvent {
  return {
    id: '10.244.1.2:43000>10.244.2.2:8443#1000/drop',
    revision,
    kind: 'drop',
    time: 10_000_000,
    transport: 'tcp',
    src: { ip: '10.244.1.2', port: 43000 },
    dst: { ip: '10.244.2.2', port: 8443 },
    source: 'pcap',
    drop: { reason: 'unanswered_syn', verdict: 'dropped', attempts },
    flow: { state: 'unanswered', toServer: { packets, bytes: packets * 74 }, toClient: { packets: 0, bytes: 0 } },
  };
}

const line = (e: NetworkEvent): LogLine => ({
  timeNs: `${e.time}000`,
  timeUs: e.time,
  line: JSON.stringify(e),
  labels: {},
  structuredMetadata: {},
  parsed: {},
});

describe('events read back from Loki', () => {
  it('are one event per id at its newest version, as the agent API serves it', () => {
    const { events } = parseEventLines([line(drop(0, 2, 2)), line(drop(2, 11, 11)), line(drop(1, 5, 5))]);
    expect(events.map((e) => [e.drop?.attempts, e.flow?.toServer.packets])).toEqual([[11, 11]]);
  });

  it('merged with the events of the agent keep whichever version is newer', () => {
    expect(mergeEvents([drop(1, 5, 5)], [drop(2, 11, 11)]).map((e) => e.revision)).toEqual([2]);
    expect(mergeEvents([drop(2, 11, 11)], [drop(1, 5, 5)]).map((e) => e.revision)).toEqual([2]);
  });
});

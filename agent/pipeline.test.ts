import type { NetworkEvent } from '../model/events';
import type { DecodedPacket } from './decode/packet';
import { PacketPipeline } from './pipeline';
import { TcpConversation } from './testkit/tcpConversation';
import { defaultTrackerOptions } from './track/trackerOptions';

const client = { ip: '10.244.1.2', port: 43000 };
const server = { ip: '10.244.2.2', port: 9090 };

function icmpReply(timeUs: number, type: number, code: number): DecodedPacket {
  return {
    timeUs,
    wireLength: 70,
    ipVersion: 4,
    srcIp: '10.244.1.1',
    dstIp: client.ip,
    protocol: 1,
    ttl: 64,
    fragment: false,
    icmp: {
      version: 4,
      type,
      code,
      quoted: { protocol: 6, srcIp: client.ip, dstIp: server.ip, srcPort: client.port, dstPort: server.port },
    },
    payload: new Uint8Array(0),
  };
}

function pipelineWithEvents() {
  const events: NetworkEvent[] = [];
  const pipeline = new PacketPipeline(defaultTrackerOptions({ node: 'node-a' })).addSink((e) => events.push(e));
  return { events, pipeline };
}

describe('PacketPipeline', () => {
  it('turns an ICMP admin-prohibited answer to a SYN into a policy drop, without a second unanswered-SYN drop', () => {
    const { events, pipeline } = pipelineWithEvents();
    const c = new TcpConversation(client, server);
    pipeline.handlePacket(c.syn(1_000_000));
    pipeline.handlePacket(icmpReply(1_000_100, 3, 13));
    pipeline.handlePacket(c.syn(2_000_000));
    pipeline.flush(30_000_000);
    const drops = events.filter((e) => e.kind === 'drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({
      node: 'node-a',
      src: client,
      dst: server,
      drop: { reason: 'icmp_admin_prohibited', verdict: 'denied', attempts: 1 },
    });
  });

  it('reports port unreachable as a reset-like refusal', () => {
    const { events, pipeline } = pipelineWithEvents();
    pipeline.handlePacket(icmpReply(1_000_000, 3, 3));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'reset', drop: expect.objectContaining({ reason: 'icmp_port_unreachable' }) }),
    ]);
  });

  it('runs enrichers before sinks and survives one that throws', () => {
    const { events, pipeline } = pipelineWithEvents();
    pipeline.addEnricher({
      name: 'broken',
      enrich: () => {
        throw new Error('lookup failed');
      },
    });
    pipeline.addEnricher({
      name: 'pods',
      enrich: (e) => {
        e.src.pod = 'client';
      },
    });
    pipeline.handleEvent({
      kind: 'drop',
      time: 1,
      transport: 'tcp',
      src: { ip: client.ip },
      dst: { ip: server.ip },
      source: 'hubble',
      drop: { reason: 'policy_denied', verdict: 'denied' },
    });
    expect(events[0].src.pod).toBe('client');
    expect(pipeline.stats.enrichErrors).toBe(1);
  });
});

// signals: the agents' security signals newest first, filtered by the search text, and counted per rule and
// destination; frames survive the Arrow round trip.
import type { NetworkEvent, SignalMatch } from '../../model/events';
import type { Frame } from '../frames/frame';
import { expectArrowRoundTrip } from '../testkit/arrowRoundTrip';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, frontend, T0_US } from '../testkit/scenario';
import { signalsQuery } from './signals';

const range = { fromMs: T0_US / 1000, toMs: T0_US / 1000 + 60_000 };
const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;

const signal = (time: number, dstIp: string, port: number, matches: SignalMatch[]): NetworkEvent => ({
  kind: 'signal',
  time,
  transport: 'tcp',
  src: { ...frontend, port: 40000 + (time % 1000) },
  dst: { ip: dstIp, port },
  source: 'pcap',
  signal: {
    severity: matches.some((m) => m.rule === 'blocklisted_address') ? 'critical' : 'warning',
    matches,
    seenAs: 'syn',
  },
});
const blocked: SignalMatch = { rule: 'blocklisted_address', end: 'dst', detail: '/etc/bl.txt:2 198.51.100.0/24' };
const shell: SignalMatch = { rule: 'suspicious_port', end: 'dst', detail: 'port 4444' };

describe('signals query', () => {
  let agent: LoopbackUpstream;
  afterEach(() => agent?.close());

  it('lists signals newest first and counts them per rule and destination', async () => {
    agent = await startLoopbackUpstream(() => ({
      body: agentEventsBody([
        signal(T0_US + 1, '198.51.100.7', 443, [blocked]),
        signal(T0_US + 2, '10.244.2.9', 4444, [shell]),
        signal(T0_US + 3, '198.51.100.7', 443, [blocked]),
      ]),
    }));
    const [list, summary] = await signalsQuery(
      queryContext({ queryType: 'signals' }, { agentUrls: [agent.url] }, range)
    );
    expectArrowRoundTrip([list, summary]);
    expect(agent.requests[0].query.get('kind')).toBe('signal');
    expect(field(list, 'time').values).toEqual([(T0_US + 3) / 1000, (T0_US + 2) / 1000, (T0_US + 1) / 1000]);
    expect(field(list, 'severity').values).toEqual(['critical', 'warning', 'critical']);
    expect(field(list, 'detail').values[1]).toBe('dst: port 4444');
    expect(field(list, 'destination').values[0]).toBe('198.51.100.7:443');
    expect(field(list, 'source_pod').values[0]).toBe(frontend.pod);
    expect(field(summary, 'rules').values).toEqual(['blocklisted_address', 'suspicious_port']);
    expect(field(summary, 'connections').values).toEqual([2, 1]);
  });

  it('keeps the signals the search text names', async () => {
    agent = await startLoopbackUpstream(() => ({
      body: agentEventsBody([
        signal(T0_US + 1, '198.51.100.7', 443, [blocked]),
        signal(T0_US + 2, '10.244.2.9', 4444, [shell]),
      ]),
    }));
    const [list] = await signalsQuery(
      queryContext({ queryType: 'signals', search: 'PORT 4444' }, { agentUrls: [agent.url] }, range)
    );
    expect(field(list, 'destination').values).toEqual(['10.244.2.9:4444']);
  });
});

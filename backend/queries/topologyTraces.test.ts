import type { Frame } from '../frames/frame';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { frontend, payments, T0_US } from '../testkit/scenario';
import { topologyQuery } from './topology';

const range = { fromMs: T0_US / 1000, toMs: T0_US / 1000 + 60_000 };
const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;
const edge = {
  src: { ip: frontend.ip, namespace: 'shop', service: 'frontend' },
  dst: { ip: payments.ip, namespace: 'shop', service: 'payments' },
  flows: 4,
  requests: 0,
  errors: 0,
  drops: 0,
  retransmits: 0,
  packets: 40,
  rttP95Us: null,
};

describe('topology when Tempo fails', () => {
  const upstreams: LoopbackUpstream[] = [];
  afterEach(async () => {
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('still draws the network edges and shows a notice naming Tempo and its error', async () => {
    const agent = await startLoopbackUpstream(() => ({ body: JSON.stringify({ edges: [edge] }) }));
    const tempo = await startLoopbackUpstream(() => ({ status: 503, body: 'metrics-generator unavailable' }));
    upstreams.push(agent, tempo);
    const ctx = queryContext({ queryType: 'topology' }, { agentUrls: [agent.url], tempo: { url: tempo.url } }, range);
    const [, edges] = await topologyQuery(ctx);
    expect(tempo.requests.map((r) => r.path)).toContain('/api/metrics/query');
    expect(field(edges, 'id').values).toEqual(['shop/frontend->shop/payments']);
    expect(field(edges, 'detail__requests_source').values).toEqual(['captured traffic']);
    expect(ctx.notices).toHaveLength(1);
    expect(ctx.notices[0]).toMatchObject({ severity: 'warning' });
    expect(ctx.notices[0].text).toMatch(
      /Tempo TraceQL metrics .* failed \(Tempo answered HTTP 503.*metrics-generator unavailable/
    );
  });
});

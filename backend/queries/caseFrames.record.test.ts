// The frames the drop case view is tested on, made by the real backend queries on the scenario's fixtures (the
// drop explained, with its fix, by the agent's explainer). Compares with src/pages/Investigate/testdata/;
// RECORD_CASE_FRAMES=1 writes them anew.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { attachDropExplanation } from '../../agent/policy';
import { formatDropId } from '../../model/dropId';
import type { NetworkEvent } from '../../model/events';
import type { Frame } from '../frames/frame';
import { dropsQuery } from './drops';
import { logsQuery } from './logs';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, frontend, payments, policyDrop, T0_US } from '../testkit/scenario';

const RECORDING = join(__dirname, '../../src/pages/Investigate/testdata/dropCase.frames.json');
const fixture = (name: string) => readFileSync(join(__dirname, 'testdata', name), 'utf8');
const range = { fromMs: T0_US / 1000 - 60_000, toMs: T0_US / 1000 + 60_000 };
const emptyStreams = JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } });

function pod(end: typeof frontend, app: string): V1Pod {
  return {
    metadata: { namespace: end.namespace, name: end.pod, labels: { app, 'pod-template-hash': '6b7d9c' } },
    spec: { nodeName: 'node-a', containers: [{ name: app }] },
    status: { phase: 'Running', podIP: end.ip, podIPs: [{ ip: end.ip }] },
  };
}

const policies: V1NetworkPolicy[] = [
  { metadata: { namespace: 'shop', name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
  {
    metadata: { namespace: 'shop', name: 'payments-allow-checkout' },
    spec: {
      podSelector: { matchLabels: { app: 'payments' } },
      ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'checkout' } } }], ports: [{ port: 8443 }] }],
    },
  },
];

// The scenario's drop as the agent publishes it: explained against the cluster, with the suggested fix.
function explainedDrop(): NetworkEvent {
  const event: NetworkEvent = structuredClone({ ...policyDrop, drop: { ...policyDrop.drop!, policy: undefined } });
  attachDropExplanation(
    {
      pods: [pod(frontend, 'frontend'), pod(payments, 'payments')],
      namespaces: [{ metadata: { name: 'shop' } }],
      services: [],
      endpointSlices: [],
      nodes: [],
      networkPolicies: policies,
    },
    event
  );
  return event;
}

// As the pages receive a frame: name, refId, meta and fields with their config and values.
const plain = (frames: Frame[]) =>
  JSON.parse(
    JSON.stringify(
      frames.map((f) => ({
        name: f.name,
        refId: f.refId,
        meta: f.meta,
        fields: f.fields.map((x) => ({ name: x.name, type: x.type, config: x.config ?? {}, values: x.values })),
      })),
      (_, v) => (typeof v === 'bigint' ? Number(v) : v)
    )
  );

describe('drop case frames', () => {
  const upstreams: LoopbackUpstream[] = [];
  afterAll(async () => {
    await Promise.all(upstreams.map((u) => u.close()));
  });

  it('are what the backend answers for the scenario drop', async () => {
    const drop = explainedDrop();
    expect(drop.drop?.suggestions).toHaveLength(1);
    const start = async (answer: Parameters<typeof startLoopbackUpstream>[0]) => {
      const u = await startLoopbackUpstream(answer);
      upstreams.push(u);
      return u;
    };
    const agent = await start(() => ({ body: agentEventsBody([drop]) }));
    const tempo = await start((path) => (path === '/api/search' ? { body: fixture('tempo-search.json') } : undefined));
    const loki = await start((_, q) => ({
      body: q.get('query')!.startsWith('{service_name="wiretrace-agent"')
        ? emptyStreams
        : fixture('loki-query-range.json'),
    }));
    const settings = {
      agentUrls: [agent.url],
      tempo: { url: tempo.url, datasourceUid: 'tempo-uid' },
      loki: { url: loki.url, datasourceUid: 'loki-uid' },
    };
    const id = formatDropId(drop);
    const drops = await dropsQuery(queryContext({ queryType: 'drops', dropId: id }, settings, range));
    const window = { fromMs: drop.time / 1000 - 30_000, toMs: drop.time / 1000 + 30_000 };
    const logs = await logsQuery(
      queryContext({ queryType: 'logs', namespace: 'shop', pod: frontend.pod }, settings, window)
    );
    const recorded = { dropId: id, drops: plain(drops), logs: plain(logs) };
    if (process.env.RECORD_CASE_FRAMES === '1') {
      writeFileSync(RECORDING, `${JSON.stringify(recorded, null, 1)}\n`);
    }
    expect(JSON.parse(readFileSync(RECORDING, 'utf8'))).toEqual(recorded);
  });
});

import { QueryDispatcher } from '../datasource/dispatch';
import { HclogLogger } from '../datasource/logger';
import { QueryError } from '../datasource/types';
import { dropsQuery } from './drops';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, policyDrop, T0_US } from '../testkit/scenario';
import { attempt } from './upstreamAttempt';

// A parser with a bug in it: what Tempo answers is fine, our reading of it throws.
let mockParserBug = false;
jest.mock('../clients/tempoSearch', () => {
  const actual = jest.requireActual('../clients/tempoSearch');
  return {
    ...actual,
    parseTempoSearch: (body: unknown) => {
      if (mockParserBug) {
        throw new TypeError("Cannot read properties of null (reading 'map')");
      }
      return actual.parseTempoSearch(body);
    },
  };
});

const range = { fromMs: T0_US / 1000 - 60_000, toMs: T0_US / 1000 + 60_000 };

describe('attempt', () => {
  it('turns an upstream failure into a partial-results notice', async () => {
    const ctx = queryContext({ queryType: 'drops' }, {}, range);
    const result = await attempt(ctx, 'Tempo', async () => {
      throw new QueryError(502, 'Tempo answered HTTP 503', 'downstream');
    });
    expect(result).toEqual({ ok: false, message: 'Tempo answered HTTP 503' });
    expect(ctx.notices).toEqual([
      { severity: 'warning', text: 'Partial results: Tempo failed (Tempo answered HTTP 503)' },
    ]);
  });

  it('lets a bug in our own code through instead of calling it an upstream failure', async () => {
    const ctx = queryContext({ queryType: 'drops' }, {}, range);
    const bug = new TypeError("Cannot read properties of null (reading 'map')");
    await expect(
      attempt(ctx, 'Tempo', async () => {
        throw bug;
      })
    ).rejects.toBe(bug);
    expect(ctx.notices).toEqual([]);
  });
});

describe('a parsing bug behind an upstream call', () => {
  const upstreams: LoopbackUpstream[] = [];
  beforeEach(() => {
    mockParserBug = true;
  });
  afterEach(async () => {
    mockParserBug = false;
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('answers the query as a plugin error with status 500, not as "Partial results: Tempo failed"', async () => {
    const agent = await startLoopbackUpstream(() => ({ body: agentEventsBody([policyDrop]) }));
    const tempo = await startLoopbackUpstream(() => ({ body: JSON.stringify({ traces: [] }) }));
    upstreams.push(agent, tempo);
    const ctx = queryContext({ queryType: 'drops' }, { agentUrls: [agent.url], tempo: { url: tempo.url } }, range);
    const dispatcher = new QueryDispatcher({ drops: dropsQuery });
    const responses = await dispatcher.queryData(
      [
        {
          refId: 'A',
          queryType: 'drops',
          maxDataPoints: 100,
          intervalMs: 1000,
          timeRange: range,
          json: JSON.stringify({ queryType: 'drops' }),
        },
      ],
      ctx.instance,
      ctx.signal,
      new HclogLogger({ write: () => undefined }, 'error')
    );
    expect(tempo.requests.length).toBeGreaterThan(0);
    expect(responses.A).toMatchObject({ status: 500, errorSource: 'plugin', frames: [] });
    expect(responses.A.error).toContain("Cannot read properties of null (reading 'map')");
    expect(JSON.stringify(responses.A)).not.toContain('Partial results');
  });
});

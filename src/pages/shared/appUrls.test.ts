import { locationUtil } from '@grafana/data';
import { exploreUrl, flowsUrl, investigateUrl } from './appUrls';

const time = { from: 'now-1h', to: 'now' };

// Grafana initialises locationUtil with its config at start-up; a sub-path deployment sets appSubUrl.
const servedUnder = (appSubUrl: string) =>
  locationUtil.initialize({
    config: { appSubUrl } as never,
    getVariablesUrlParams: () => ({}),
    getTimeRangeForUrl: () => time,
  });

describe('app URLs', () => {
  afterEach(() => servedUnder(''));

  it('carry Grafana’s sub-path when Grafana is served under one', () => {
    servedUnder('/grafana');
    expect(investigateUrl({ drop: '1-10.0.0.1-10.0.0.2-80' }, time)).toBe(
      '/grafana/a/wiretrace-correlation-app/investigate?drop=1-10.0.0.1-10.0.0.2-80&from=now-1h&to=now'
    );
    expect(flowsUrl({ namespace: 'shop' })).toMatch(
      /^\/grafana\/a\/wiretrace-correlation-app\/flows\?var-namespace=shop&/
    );
    expect(exploreUrl('tempo', { query: 'abc' }, time)).toMatch(/^\/grafana\/explore\?/);
  });

  it('open Explore in the user’s organisation, not organisation 1', () => {
    expect(exploreUrl('tempo', { query: 'abc' }, time)).not.toContain('orgId');
  });
});

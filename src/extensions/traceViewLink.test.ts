import pluginJson from '../plugin.json';
import { investigatePathFor, traceViewLink, TRACE_VIEW_LINK_TITLE } from './traceViewLink';

describe('trace view link', () => {
  it('opens Investigate on the normalised trace id with a margin around the trace', () => {
    const path = investigatePathFor({ traceID: 'ABC123', startTime: 1_700_000_000_000_000, duration: 2_500_000 });
    expect(path).toBe(
      '/a/wiretrace-correlation-app/investigate?traceId=00000000000000000000000000abc123&case=single&from=1699999940000&to=1700000062500'
    );
  });

  it('is hidden without a usable trace id', () => {
    expect(investigatePathFor(undefined)).toBeUndefined();
    expect(investigatePathFor({ traceID: 'not hex' })).toBeUndefined();
    expect(traceViewLink.configure?.({ traceID: '' })).toBeUndefined();
  });

  it('does not show on Wiretrace’s own traces, whose spans link to their network case already', () => {
    const own = { traceID: 'abc123', datasource: { uid: 'wiretrace', type: 'wiretrace-correlation-datasource' } };
    expect(traceViewLink.configure?.(own)).toBeUndefined();
    expect(traceViewLink.configure?.({ ...own, datasource: { uid: 'tempo', type: 'tempo' } })).toEqual({
      path: expect.stringContaining('traceId=00000000000000000000000000abc123&case=single'),
    });
  });

  it('is declared in plugin.json with the same title and target, as Grafana requires', () => {
    const declared = pluginJson.extensions.addedLinks.find((l) => l.title === TRACE_VIEW_LINK_TITLE);
    expect(declared?.targets).toEqual(traceViewLink.targets);
  });
});

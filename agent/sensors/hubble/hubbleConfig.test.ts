import type { NetworkEvent } from '../../../model/events';
import { hubbleConfigFrom, startHubbleSource } from './hubbleConfig';
import { FLOWS_JSONL_PATH } from '../../testkit/hubbleFlows';

describe('hubble config', () => {
  it('reads Relay settings with follow on by default', () => {
    expect(
      hubbleConfigFrom({ address: 'hubble-relay:4245', since: '5m', whitelist: [{ verdict: ['DROPPED'] }] })
    ).toEqual({
      address: 'hubble-relay:4245',
      follow: true,
      since: '5m',
      whitelist: [{ verdict: ['DROPPED'] }],
    });
  });

  it('needs exactly one of address or file, and FlowFilter mappings', () => {
    expect(() => hubbleConfigFrom({})).toThrow('hubble needs exactly one of address (Hubble Relay host:port) or file');
    expect(() => hubbleConfigFrom({ address: 'a:1', file: 'f' })).toThrow('exactly one of');
    expect(() => hubbleConfigFrom({ address: 'a:1', whitelist: ['DROPPED'] })).toThrow(
      'hubble.whitelist must be a list of FlowFilter mappings'
    );
  });

  it('starts a file source that delivers the mapped events', async () => {
    const events: NetworkEvent[] = [];
    const logs: string[] = [];
    const source = startHubbleSource(
      hubbleConfigFrom({ file: FLOWS_JSONL_PATH }),
      'node-x',
      (e) => events.push(e),
      (_, m) => logs.push(m)
    );
    await source.stop();
    expect(events).toHaveLength(8);
    expect(logs).toEqual([`hubble: read 10 flows from ${FLOWS_JSONL_PATH} (8 events, 2 malformed)`]);
  });
});

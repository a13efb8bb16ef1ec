// The lookup an exchange's first phase is taken from: the client's latest answer with the server address before the
// connection opened, even when the exchange is timed after later lookups of the same name.
import type { NetworkEvent } from '../../model/events';
import { DnsLookupIndex } from './dnsLookupIndex';

function answer(query: string, startUs: number, endUs: number, answers = ['10.96.0.20']): NetworkEvent {
  return {
    kind: 'dns',
    time: startUs,
    endTime: endUs,
    transport: 'udp',
    src: { ip: '10.244.1.2', port: 40000 },
    dst: { ip: '10.96.0.10', port: 53 },
    source: 'pcap',
    dns: { id: 1, query, qtype: 'A', rcode: 'NOERROR', answers, answered: true },
  } as NetworkEvent;
}

describe('DnsLookupIndex', () => {
  it('finds the lookup before the connection opened though a later one answered with the same address', () => {
    const index = new DnsLookupIndex();
    index.note(answer('shop.test.', 1_000, 1_200));
    index.note(answer('shop.test.', 5_000, 5_300));
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 2_000)).toEqual({
      query: 'shop.test',
      startUs: 1_000,
      endUs: 1_200,
    });
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 6_000)).toMatchObject({ startUs: 5_000 });
  });

  it('gives nothing for another client, another address, a lookup still running or one older than 30 s', () => {
    const index = new DnsLookupIndex();
    index.note(answer('shop.test', 1_000, 1_200));
    expect(index.lookupBefore('10.244.1.3', '10.96.0.20', 2_000)).toBeUndefined();
    expect(index.lookupBefore('10.244.1.2', '10.96.0.21', 2_000)).toBeUndefined();
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 1_100)).toBeUndefined();
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 1_200 + 30_000_001)).toBeUndefined();
  });

  it('keeps the newest four lookups of one client and address', () => {
    const index = new DnsLookupIndex();
    for (let i = 0; i < 6; i++) {
      index.note(answer(`n${i}.test`, i * 1_000, i * 1_000 + 100));
    }
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 1_500)).toBeUndefined();
    expect(index.lookupBefore('10.244.1.2', '10.96.0.20', 2_500)?.query).toBe('n2.test');
  });
});

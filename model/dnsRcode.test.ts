import { dnsRcodeName } from './dnsRcode';

test('response codes by name, unknown ones by number', () => {
  expect([0, 2, 3, 5, 10].map(dnsRcodeName)).toEqual(['NOERROR', 'SERVFAIL', 'NXDOMAIN', 'REFUSED', 'NOTZONE']);
  expect(dnsRcodeName(16)).toBe('RCODE16');
});

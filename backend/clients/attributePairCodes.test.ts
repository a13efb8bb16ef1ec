import { AttributePairCodes } from './attributePairCodes';

describe('AttributePairCodes', () => {
  it('gives equal pairs equal codes and different pairs different codes', () => {
    const codes = new AttributePairCodes();
    const port = codes.code('server.port', 8443);
    expect(codes.code('server.port', 8443)).toBe(port);
    expect(codes.code('server.port', '8443')).not.toBe(port);
    expect(codes.code('net.peer.port', 8443)).not.toBe(port);
    expect(codes.code('flag', true)).not.toBe(codes.code('flag', 'true'));
  });

  it('codes arrays and key-value lists by content', () => {
    const codes = new AttributePairCodes();
    const list = codes.code('hosts', ['a', 'b']);
    expect(codes.code('hosts', ['a', 'b'])).toBe(list);
    expect(codes.code('hosts', ['b', 'a'])).not.toBe(list);
    expect(codes.code('hosts', 'a,b')).not.toBe(list);
    expect(codes.code('labels', { app: 'x' })).toBe(codes.code('labels', { app: 'x' }));
  });

  it('keeps set keys unambiguous past 65,536 distinct pairs', () => {
    const codes = new AttributePairCodes();
    const seen = new Set<string>();
    for (let i = 0; i < 70_000; i++) {
      const code = codes.code('k', i);
      expect(code).toHaveLength(2);
      seen.add(code);
    }
    expect(seen.size).toBe(70_000);
  });
});

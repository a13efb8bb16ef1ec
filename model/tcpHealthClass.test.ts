import { retransmitRate, tcpHealthClass } from './tcpHealthClass';

describe('tcpHealthClass', () => {
  it('uses the 1 % and 5 % boundaries, each boundary in the worse class', () => {
    expect(tcpHealthClass(0)).toBe('healthy');
    expect(tcpHealthClass(0.0099)).toBe('healthy');
    expect(tcpHealthClass(0.01)).toBe('degraded');
    expect(tcpHealthClass(0.0499)).toBe('degraded');
    expect(tcpHealthClass(0.05)).toBe('severe');
    expect(tcpHealthClass(0.5)).toBe('severe');
  });

  it('has no rate without packets', () => {
    expect(retransmitRate(0, 0)).toBeUndefined();
    expect(retransmitRate(3, 200)).toBeCloseTo(0.015);
  });
});

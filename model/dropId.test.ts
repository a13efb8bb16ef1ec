// The drop id shared by the backend's frames and the pages.
import { dropWindow, formatDropId, parseDropId } from './dropId';

describe('parseDropId', () => {
  it('reads the time, addresses and port of IPv4 and IPv6 drops', () => {
    expect(parseDropId('1763720000123456-10.0.1.5-10.0.2.7-8080')).toEqual({
      timeUs: 1763720000123456,
      srcIp: '10.0.1.5',
      dstIp: '10.0.2.7',
      dstPort: 8080,
    });
    expect(parseDropId('1763720000123456-fd00::5-fd00::7-443')?.dstIp).toBe('fd00::7');
  });

  it('reads back what formatDropId writes', () => {
    const drop = { time: 1763720000123456, src: { ip: 'fd00::5' }, dst: { ip: '10.0.2.7', port: 8443 } };
    expect(parseDropId(formatDropId(drop))).toEqual({
      timeUs: 1763720000123456,
      srcIp: 'fd00::5',
      dstIp: '10.0.2.7',
      dstPort: 8443,
    });
  });

  it('rejects ids that are not drops', () => {
    for (const bad of [
      undefined,
      '',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '17-10.0.0.1-10.0.0.2-80',
      '1763720000123456-a-b-99999',
    ]) {
      expect(parseDropId(bad)).toBeUndefined();
    }
  });

  it('looks five minutes either side of the drop', () => {
    const key = parseDropId('1763720000123456-10.0.1.5-10.0.2.7-8080')!;
    expect(dropWindow(key)).toEqual({ from: 1763720000123 - 300000, to: 1763720000123 + 300000 });
  });
});

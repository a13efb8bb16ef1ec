// TLS protocol version numbers as people write them.

const NAMES: Record<number, string> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

export function tlsVersionName(version: number): string {
  return NAMES[version] ?? `0x${version.toString(16).padStart(4, '0')}`;
}

// RFC 8701 GREASE values (0x0a0a, 0x1a1a, …) are noise clients add on purpose.
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

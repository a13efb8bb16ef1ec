// Where the agent API really listens: a host name is resolved first, and loopback is decided on the addresses it
// resolves to (never on how the name is spelt: `127.0.0.1.nip.io` is a DNS name like any other).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export function isLoopbackAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) {
    return ip.startsWith('127.');
  }
  if (version === 6) {
    const lower = ip.toLowerCase();
    return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower);
  }
  return false;
}

export interface BindHost {
  // The address to listen on: the host itself when it is an IP address, else the one it resolved to.
  address: string;
  loopback: boolean;
}

// A name is loopback only when every address it resolves to is; the API then binds that address, not the name.
export async function resolveBindHost(host: string): Promise<BindHost> {
  if (isIP(host)) {
    return { address: host, loopback: isLoopbackAddress(host) };
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch (err) {
    throw new Error(
      `the agent API host ${host} does not resolve: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
    );
  }
  if (addresses.length === 0) {
    throw new Error(`the agent API host ${host} resolves to no address`);
  }
  return {
    address: addresses[0].address,
    loopback: addresses.every((a) => isLoopbackAddress(a.address)),
  };
}

// Prometheus (Apache-2.0) from Debian's package: unpacked into the cache, so no system service is installed or started.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from './goPeer.mjs';

const DEBIAN_VERSION = '2.42.0+ds-5+deb12u1';

export default {
  name: 'prometheus',
  version: 'v2.42.0',
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 60,
  quickBuild: true,
  licence: 'Apache-2.0',
  binaryName: 'prometheus',
  async build({ outDir, log, logFile }) {
    const io = { cwd: outDir, env: process.env, logFile };
    try {
      await runLogged('apt-get', ['download', `prometheus=${DEBIAN_VERSION}`], io);
    } catch {
      // A fresh machine may have no package lists yet, or a newer point release of 2.42 replaced this one.
      log('downloading the pinned package failed; refreshing the package lists and taking the 2.42 candidate');
      await runLogged('apt-get', ['update', '-qq'], io);
      await runLogged('apt-get', ['download', 'prometheus'], io);
    }
    const deb = readdirSync(outDir).find((f) => f.startsWith('prometheus_') && f.endsWith('.deb'));
    if (!deb || !deb.startsWith('prometheus_2.42.')) {
      throw new Error(`expected a prometheus 2.42 package, got ${deb ?? 'none'}`);
    }
    log(`unpacking ${deb}`);
    await runLogged('dpkg-deb', ['-x', deb, 'unpacked'], io);
    copyFileSync(join(outDir, 'unpacked', 'usr', 'bin', 'prometheus'), join(outDir, 'prometheus'));
    rmSync(join(outDir, 'unpacked'), { recursive: true, force: true });
    rmSync(join(outDir, deb), { force: true });
  },
};

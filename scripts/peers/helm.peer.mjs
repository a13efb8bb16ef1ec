// Helm v4 (Apache-2.0): renders and lints the agent's chart in deploy/helm/, built from its Go module.
import { join } from 'node:path';
import { buildGoPeer } from './goPeer.mjs';

export default {
  name: 'helm',
  version: 'v4.3.2',
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 65,
  licence: 'Apache-2.0',
  binaryName: 'helm',
  async build({ outDir, log, logFile }) {
    await buildGoPeer({ module: 'helm', pkg: 'helm.sh/helm/v4/cmd/helm', output: join(outDir, 'helm'), logFile, log });
  },
};

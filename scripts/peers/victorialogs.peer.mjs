// VictoriaLogs (Apache-2.0): accepts Loki's push protocol and answers LogsQL queries, built from its Go module.
import { join } from 'node:path';
import { buildGoPeer } from './goPeer.mjs';

export default {
  name: 'victorialogs',
  version: 'v1.52.2',
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 60,
  quickBuild: true,
  licence: 'Apache-2.0',
  binaryName: 'victoria-logs',
  async build({ outDir, log, logFile }) {
    await buildGoPeer({
      module: 'victorialogs',
      pkg: 'github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs',
      output: join(outDir, 'victoria-logs'),
      logFile,
      log,
    });
  },
};

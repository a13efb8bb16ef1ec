// Jaeger v2 (Apache-2.0): an in-memory trace store with an OTLP receiver and query APIs, built from its Go module.
import { join } from 'node:path';
import { buildGoPeer } from './goPeer.mjs';

export default {
  name: 'jaeger',
  version: 'v1.75.0',
  // The order of the first tier that needs it: the builder builds peers in that order.
  neededByTier: 60,
  licence: 'Apache-2.0',
  binaryName: 'jaeger',
  async build({ outDir, log, logFile }) {
    await buildGoPeer({
      module: 'jaeger',
      pkg: 'github.com/jaegertracing/jaeger/cmd/jaeger',
      output: join(outDir, 'jaeger'),
      logFile,
      log,
    });
  },
};

// `run`: the agent proper — live capture into the pipeline, the recent window in memory, the HTTP API and metrics —
// as agent/assembly builds it from the config, until SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { assemble } from '../assembly/assemble';
import { ConfigError, loadAgentConfig } from '../config';
import { ClusterFileError } from '../kube/clusterFile';
import type { AgentCommand } from './command';

const SYNOPSIS = 'run --config FILE';

export const runCommand: AgentCommand = {
  synopsis: SYNOPSIS,
  summary: 'capture live traffic, serve recent events over HTTP and expose metrics',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      }));
    } catch (err) {
      process.stderr.write(`wiretrace-agent run: ${(err as Error).message}\nUsage: wiretrace-agent ${SYNOPSIS}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(`Usage: wiretrace-agent ${SYNOPSIS}\n`);
      return 0;
    }
    if (!values.config) {
      process.stderr.write('wiretrace-agent run: --config FILE is required\n');
      return 2;
    }
    let agent;
    try {
      agent = assemble(loadAgentConfig(values.config), { kind: 'live', origin: values.config });
    } catch (err) {
      // A bad config or cluster file is a usage error, named before anything starts.
      if (err instanceof ConfigError || err instanceof ClusterFileError) {
        process.stderr.write(`wiretrace-agent run: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    const { ok } = await agent.start();
    if (ok) {
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
    }
    await agent.stop();
    return ok ? 0 : 1;
  },
};

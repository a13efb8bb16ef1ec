// `analyze`: the packet pipeline over a capture file, one event per line in time order.
import { parseArgs } from 'node:util';
import type { AgentCommand } from './command';

const SYNOPSIS = 'analyze --pcap FILE [--cluster FILE] [--format jsonl|table]';

export const analyzeCommand: AgentCommand = {
  synopsis: SYNOPSIS,
  summary: 'run the pipeline over a pcap/pcapng file and print its events',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        pcap: { type: 'string' },
        cluster: { type: 'string' },
        format: { type: 'string', default: 'jsonl' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`Usage: wiretrace-agent ${SYNOPSIS}\n`);
      return 0;
    }
    if (!values.pcap) {
      process.stderr.write(`wiretrace-agent analyze: --pcap FILE is required\n`);
      return 2;
    }
    process.stderr.write(`wiretrace-agent analyze: the packet pipeline is not built into this version yet\n`);
    return 1;
  },
};

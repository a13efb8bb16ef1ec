// Parses the agent's subcommands; each subcommand lives in its own module.
import { parseArgs } from 'node:util';

export const USAGE = `Usage: wiretrace-agent <command> [options]

Commands:
  run --config FILE                      capture live traffic and serve events over HTTP
  analyze --pcap FILE [--cluster FILE] [--format jsonl|table]
                                         run the pipeline over a capture file, one event per line
  explain --cluster FILE --from NS/POD|IP --to NS/POD|IP --port PORT[/PROTO] [--format json|text]
                                         explain the NetworkPolicy verdict for one connection

Options:
  -h, --help                             show this help
`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { values } = parseArgs({ args: rest, options: { help: { type: 'boolean', short: 'h' } }, strict: false });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  process.stderr.write(`wiretrace-agent: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

// Dispatches the agent's subcommands; each lives in agent/commands/<name>.ts and registers itself in COMMANDS.
import { COMMANDS } from './commands';

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.synopsis}\n      ${c.summary}`);
  return `Usage: wiretrace-agent <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'wiretrace-agent <command> --help' for a command's options.\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`wiretrace-agent: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

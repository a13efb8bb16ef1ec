// The agent's subcommands, in the order the help lists them.
import type { AgentCommand } from './command';
import { analyzeCommand } from './analyze';
import { runCommand } from './run';
import { explainCommand } from './explain';

export const COMMANDS: Record<string, AgentCommand> = {
  run: runCommand,
  analyze: analyzeCommand,
  explain: explainCommand,
};

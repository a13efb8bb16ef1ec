// The agent's subcommands, in the order the help lists them.
import type { AgentCommand } from './command';
import { analyzeCommand } from './analyze';
import { explainCommand } from './explain';

export const COMMANDS: Record<string, AgentCommand> = {
  analyze: analyzeCommand,
  explain: explainCommand,
};

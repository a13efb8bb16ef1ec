// The shape every agent subcommand has: a one-line synopsis for the help text and a run function returning the exit code.
export interface AgentCommand {
  synopsis: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

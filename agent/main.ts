// The capture agent's command line.
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`wiretrace-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
);

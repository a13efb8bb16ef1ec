// How the assembled agent says what it does: `run` writes JSON lines to stderr, `analyze` prefixed text, a test collects.
export type AgentLog = (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => void;

export function jsonLinesLog(write: (line: string) => void = (line) => process.stderr.write(line)): AgentLog {
  return (level, message, fields = {}) =>
    write(
      JSON.stringify({ '@level': level, '@message': message, '@timestamp': new Date().toISOString(), ...fields }) + '\n'
    );
}

// One real HTTP call made from inside a network namespace, with the times it started and ended.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ConnectAttempt {
  startMs: number;
  endMs: number;
  status?: number;
  error?: string;
  errorCode?: string;
}

const PROBE = fileURLToPath(new URL('./connectProbe.ts', import.meta.url));

export function attemptFromNamespace(
  namespace: string,
  target: { ip: string; port: number; path: string },
  timeoutMs: number,
  traceparent?: string
): Promise<ConnectAttempt> {
  const args = [
    'netns',
    'exec',
    namespace,
    process.execPath,
    PROBE,
    target.ip,
    String(target.port),
    target.path,
    String(timeoutMs),
  ];
  if (traceparent) {
    args.push(traceparent);
  }
  return new Promise((resolvePromise, reject) => {
    execFile('ip', args, { timeout: timeoutMs + 15_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolvePromise(JSON.parse(line) as ConnectAttempt);
      } catch {
        reject(new Error(`probe in ${namespace} printed no result (${err?.message ?? 'no error'}): ${stderr.trim()}`));
      }
    });
  });
}

// What tshark sees in one capture, in the categories the corpus tier compares: one `tshark -T fields` run per file,
// its counts cached by file content and tshark version (the corpus is read-only data; tshark is the slow part).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const FIELDS = ['http.request.method', 'http.response.code', 'dns.flags.response', 'tcp.stream'];

export function tsharkVersion() {
  return execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
}

function cacheDir(version) {
  const dir = join(homedir(), '.cache', 'wiretrace', 'corpus-tshark', createHash('sha1').update(version).digest('hex'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function countFields(text) {
  const counts = { httpRequests: 0, httpResponses: 0, dnsAnswers: 0, tcpConnections: 0 };
  const streams = new Set();
  const values = (v) => (v ? v.split(',').filter((x) => x !== '') : []);
  for (const line of text.split('\n')) {
    if (!line) {
      continue;
    }
    const [method, code, dnsResponse, stream] = line.split('\t');
    counts.httpRequests += values(method).length;
    counts.httpResponses += values(code).length;
    counts.dnsAnswers += values(dnsResponse).filter((v) => v === '1' || v === 'True').length;
    values(stream).forEach((s) => streams.add(s));
  }
  counts.tcpConnections = streams.size;
  return counts;
}

function runTshark(file, timeoutMs) {
  return new Promise((resolve) => {
    const args = ['-r', file, '-n', '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])];
    execFile('tshark', args, { maxBuffer: 1 << 28, timeout: timeoutMs }, (err, stdout) => {
      // tshark exits non-zero on a cut file after printing what it read: those packets still count.
      resolve(err && !stdout ? null : countFields(stdout));
    });
  });
}

// Counts for every file, `parallel` tshark processes at a time; files tshark cannot read at all map to null.
export async function tsharkCounts(files, { parallel = 2, timeoutMs = 120_000 } = {}) {
  const dir = cacheDir(tsharkVersion());
  const result = new Map();
  const todo = [];
  for (const file of files) {
    const key = createHash('sha1').update(readFileSync(file)).digest('hex');
    const cached = join(dir, `${key}.json`);
    if (existsSync(cached)) {
      result.set(file, JSON.parse(readFileSync(cached, 'utf8')));
    } else {
      todo.push({ file, cached });
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { file, cached } = todo[next++];
      const counts = await runTshark(file, timeoutMs);
      result.set(file, counts);
      writeFileSync(cached, JSON.stringify(counts));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { counts: result, computed: todo.length };
}

// Hostile input for the agent's command line (analyze, explain, run): endless devices, FIFOs nobody writes, oversized
// and malformed files, nested and aliased YAML, misspelt and blank config. Each probe runs under a memory and time
// bound and must end with a clear message and exit code, never a hang, a crash or an out-of-memory abort.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentBuilt } from './agentProcess';
import { describeOutcome, probeCli } from './hostileProbe';

const describeBuilt = agentBuilt() ? describe : describe.skip;

function pcapHeader(snaplen: number, linkType = 1): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(snaplen, 16);
  b.writeUInt32LE(linkType, 20);
  return b;
}

function pcapRecordHeader(capturedLength: number, wireLength: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(1_700_000_000, 0);
  b.writeUInt32LE(capturedLength, 8);
  b.writeUInt32LE(wireLength, 12);
  return b;
}

describeBuilt('hostile input: the agent command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-hostile-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const fifo = (name: string) => {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    return path;
  };
  const empty = file('empty.pcap', '');
  const config = (name: string, text: string) => file(name, text);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // [what, arguments, exit code, what stderr must say]
  const probes: Array<[string, () => string[], number, RegExp]> = [
    [
      'a capture from /dev/zero',
      () => ['analyze', '--pcap', '/dev/zero'],
      1,
      /capture \/dev\/zero is a character device/,
    ],
    [
      '/dev/zero streamed on purpose',
      () => ['analyze', '--pcap', '/dev/zero', '--stream'],
      1,
      /not a pcap or pcapng capture: starts with 0x00000000/,
    ],
    ['a capture FIFO nobody writes', () => ['analyze', '--pcap', fifo('nobody.pcap')], 1, /is a FIFO \(named pipe\)/],
    ['a directory as the capture', () => ['analyze', '--pcap', dir, '--stream'], 1, /is a directory/],
    ['an empty capture', () => ['analyze', '--pcap', empty], 1, /capture is empty/],
    [
      'a record claiming 4 GiB',
      () => [
        'analyze',
        '--pcap',
        file('huge-record.pcap', Buffer.concat([pcapHeader(65535), pcapRecordHeader(0xffffffff, 0xffffffff)])),
      ],
      1,
      /huge-record\.pcap: /,
    ],
    [
      'a pcapng block claiming 4 GiB',
      () => [
        'analyze',
        '--pcap',
        file('huge-block.pcapng', Buffer.from('0a0d0d0affffffff4d3c2b1a01000000ffffffffffffffff', 'hex')),
      ],
      1,
      /huge-block\.pcapng: /,
    ],
    [
      'a cluster file from /dev/zero',
      () => ['analyze', '--pcap', empty, '--cluster', '/dev/zero'],
      1,
      /cluster file \/dev\/zero is a character device/,
    ],
    [
      'a cluster FIFO nobody writes',
      () => ['analyze', '--pcap', empty, '--cluster', fifo('nobody.yaml')],
      1,
      /cluster file .* is a FIFO/,
    ],
    [
      'a cluster file over the size limit',
      () => ['analyze', '--pcap', empty, '--cluster', file('big.yaml', Buffer.alloc(70 * 1024 * 1024, 0x20))],
      1,
      /cluster file .*big\.yaml is 73400320 bytes, over the limit of 67108864/,
    ],
    [
      'a YAML cluster file over the YAML limit',
      () => ['analyze', '--pcap', empty, '--cluster', file('big-yaml.yaml', `# ${'x'.repeat(9 << 20)}\n`)],
      1,
      /big-yaml\.yaml is 9437187 bytes of YAML, over the YAML limit of 8388608 .*-o json/,
    ],
    [
      'a cluster file of nested YAML',
      () => [
        'analyze',
        '--pcap',
        empty,
        '--cluster',
        file('nested.yaml', `kind: ${'['.repeat(200_000)}${']'.repeat(200_000)}`),
      ],
      1,
      /nested\.yaml/,
    ],
    [
      'a cluster file of aliases (billion laughs)',
      () => {
        const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
        for (let i = 1; i < 12; i++) {
          lines.push(
            `a${i}: &a${i} [${Array(10)
              .fill(`*a${i - 1}`)
              .join(', ')}]`
          );
        }
        return ['analyze', '--pcap', empty, '--cluster', file('laughs.yaml', lines.join('\n'))];
      },
      1,
      /laughs\.yaml.*(alias|Alias)/,
    ],
    [
      'a cluster file that is a list, not objects',
      () => ['analyze', '--pcap', empty, '--cluster', file('list.yaml', '- 1\n- 2\n')],
      1,
      /expected Kubernetes objects, found a list/,
    ],
    [
      'explain with /dev/zero as the cluster',
      () => ['explain', '--cluster', '/dev/zero', '--from', 'a/b', '--to', 'c/d', '--port', '80'],
      2,
      /cluster file \/dev\/zero is a character device/,
    ],
    [
      'a config FIFO nobody writes',
      () => ['analyze', '--pcap', empty, '--config', fifo('nobody-config.yaml')],
      1,
      /is not a regular file/,
    ],
    [
      'a config from /dev/zero',
      () => ['analyze', '--pcap', empty, '--config', '/dev/zero'],
      1,
      /config file \/dev\/zero is not a regular file/,
    ],
    [
      'a config over the size limit',
      () => ['analyze', '--pcap', empty, '--config', config('big-config.yaml', `node: ${'n'.repeat(2 << 20)}\n`)],
      1,
      /over the limit of 1048576/,
    ],
    [
      'a deeply nested JSON config',
      () => [
        'analyze',
        '--pcap',
        empty,
        '--config',
        config('nested.json', `${'['.repeat(500_000)}${']'.repeat(500_000)}`),
      ],
      1,
      /nested\.json/,
    ],
    [
      'a misspelt config key (run)',
      () => ['run', '--config', config('captrue.yaml', 'captrue: { interfaces: [lo] }\n')],
      2,
      /unknown key "captrue" \(did you mean "capture"\?\)/,
    ],
    [
      'a misspelt token key (run)',
      () => ['run', '--config', config('tokne.yaml', 'api: { listen: "127.0.0.1:0", tokne: abc }\n')],
      2,
      /unknown key "api\.tokne" \(did you mean "api\.token"\?\)/,
    ],
    [
      'a whitespace-only token (run)',
      () => ['run', '--config', config('blank-token.yaml', 'api: { listen: "0.0.0.0:0", token: "   " }\n')],
      2,
      /api\.token is empty or only whitespace/,
    ],
    [
      'an empty token file (run)',
      () => [
        'run',
        '--config',
        config('blank-token-file.yaml', `api: { listen: "0.0.0.0:0", tokenFile: ${file('token', '\n \n')} }\n`),
      ],
      2,
      /is empty or only whitespace/,
    ],
    [
      'a bind name that merely starts like loopback (run)',
      () => [
        'run',
        '--config',
        config('nip.yaml', 'capture: { interfaces: [lo] }\napi: { listen: "127.evil.example:0" }\n'),
      ],
      1,
      /127\.evil\.example (does not resolve|.*not loopback)/,
    ],
    [
      'a misspelt exporter key (run)',
      () => ['run', '--config', config('tenatn.yaml', 'export: { loki: { url: "http://127.0.0.1:1", tenatn: a } }\n')],
      2,
      /unknown key "export\.loki\.tenatn" \(did you mean "export\.loki\.tenant"\?\)/,
    ],
    [
      'a misspelt hubble key (run)',
      () => ['run', '--config', config('adress.yaml', 'hubble: { adress: "127.0.0.1:4245" }\n')],
      2,
      /did you mean "hubble\.address"/,
    ],
    [
      'a cluster file from /dev/zero in the config (run)',
      () => ['run', '--config', config('zero-cluster.yaml', 'clusterFile: /dev/zero\n')],
      2,
      /cluster file \/dev\/zero is a character device/,
    ],
    ['an unknown analyze option', () => ['analyze', '--pcap', empty, '--bogus'], 2, /Unknown option '--bogus'/],
  ];

  it.each(probes)('%s: a clear error, within the bounds', async (_what, args, code, message) => {
    const r = await probeCli(args());
    const outcome = describeOutcome(r);
    expect(r.timedOut ? outcome : 'within the time bound').toBe('within the time bound');
    expect(r.stderr).not.toMatch(/out of memory|FATAL ERROR|^\s+at /m);
    expect(r.stderr).toMatch(message);
    expect(`exit ${r.code}`).toBe(`exit ${code}`);
  });
});

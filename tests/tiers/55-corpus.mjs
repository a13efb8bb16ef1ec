// The agent over the tcpdump project's regression captures (read in place, never copied): no crash or hang on any
// file, and per category its agreement with tshark printed and held at or above the floor measured when it was set.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { hasCommand } from '../lib/process.mjs';
import { tsharkCounts } from '../corpus/tsharkCounts.mjs';

// Beside the checkout (../shared), else the workplace's shared folder, which a clone made elsewhere still reaches.
const CORPUS_PLACES = ['../shared/pcap-corpus/tcpdump-tests', '/work/shared/pcap-corpus/tcpdump-tests'].map((p) =>
  resolve(p)
);
const CORPUS = process.env.WIRETRACE_PCAP_CORPUS
  ? resolve(process.env.WIRETRACE_PCAP_CORPUS)
  : (CORPUS_PLACES.find((p) => existsSync(p)) ?? CORPUS_PLACES[0]);
const WORKER = 'build/corpus/corpusWorker.cjs';
// A file still unfinished after this long hangs (the largest file takes well under a second on an idle machine).
const FILE_TIMEOUT_MS = 60_000;
// Share of what tshark sees that the agent sees too (per file, never more than tshark counts), measured on
// 2026-12-03 over the 830 captures: HTTP requests 3/8, responses 2/4, DNS answers 33/47, TCP connections 205/222
// (92.3%; the rest are mostly link types the agent does not decode). A drop below is a regression.
const FLOORS = { httpRequests: 0.375, httpResponses: 0.25, dnsAnswers: 0.7, tcpConnections: 0.92 };

function corpusFiles() {
  return readdirSync(CORPUS)
    .filter((f) => /\.(pcap|pcapng)$/i.test(f))
    .map((f) => join(CORPUS, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

// One worker process reads files in turn; one that hangs or dies is recorded and a fresh worker takes the rest.
async function analyzeAll(files) {
  const results = new Map();
  const failures = [];
  let remaining = files;
  while (remaining.length > 0) {
    const { done, failed } = await runWorker(remaining);
    done.forEach((r) => results.set(r.file, r));
    if (failed) {
      failures.push(failed);
    }
    const finished = new Set([...results.keys(), ...failures.map((f) => f.file)]);
    remaining = remaining.filter((f) => !finished.has(f));
    if (!failed && remaining.length > 0) {
      failures.push({ file: remaining[0], why: 'worker exited before reading it' });
      remaining = remaining.slice(1);
    }
  }
  return { results, failures };
}

function runWorker(files) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const done = [];
    let current;
    let timer;
    let failed;
    let buffered = '';
    let stderr = '';
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        failed = { file: current, why: `no result within ${FILE_TIMEOUT_MS / 1000} s (hang)` };
        child.kill('SIGKILL');
      }, FILE_TIMEOUT_MS);
    };
    child.stderr.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.stdout.on('data', (d) => {
      buffered += d.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (msg.start) {
          current = msg.start;
          arm();
        } else if (msg.crash) {
          failed ??= { file: msg.file, why: `threw: ${msg.crash.split('\n').slice(0, 3).join(' | ')}` };
          done.push({ file: msg.file, crashed: true });
        } else {
          done.push(msg);
          current = undefined;
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!failed && current) {
        failed = { file: current, why: `worker died (${code ?? signal}): ${stderr.trim().split('\n').pop()}` };
      }
      resolvePromise({ done: done.filter((r) => !r.crashed), failed });
    });
    child.stdin.end(files.join('\n') + '\n');
  });
}

export default {
  name: 'corpus',
  order: 55,
  async skipReason() {
    return existsSync(CORPUS) ? null : `no capture corpus at ${CORPUS} (set WIRETRACE_PCAP_CORPUS)`;
  },
  async run() {
    if (!hasCommand('tshark')) {
      console.error('corpus: tshark is required (it is the reference the agent is compared with)');
      return { passed: 0, failed: 1 };
    }
    const started = Date.now();
    await build({
      entryPoints: ['tests/corpus/corpusWorker.ts'],
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      outfile: WORKER,
      logLevel: 'warning',
    });
    const files = corpusFiles();
    const [agent, reference] = await Promise.all([analyzeAll(files), tsharkCounts(files)]);
    let passed = 0;
    let failed = 0;
    for (const f of agent.failures) {
      console.error(`corpus: ${f.file}: ${f.why}`);
    }
    if (agent.failures.length === 0 && agent.results.size === files.length) {
      passed++;
    } else {
      failed++;
    }
    console.log(
      `corpus: ${files.length} files, ${agent.failures.length} crashed or hung, ` +
        `${agent.results.size} analyzed; tshark ran on ${reference.computed} (others cached)`
    );
    for (const [category, floor] of Object.entries(FLOORS)) {
      let theirs = 0;
      let agreed = 0;
      let ours = 0;
      for (const [file, counts] of reference.counts) {
        const mine = agent.results.get(file);
        if (!counts || !mine) {
          continue;
        }
        theirs += counts[category];
        ours += mine[category];
        agreed += Math.min(mine[category], counts[category]);
      }
      const share = theirs === 0 ? 0 : agreed / theirs;
      const ok = theirs > 0 && share >= floor;
      console.log(
        `corpus: ${category.padEnd(15)} agent ${String(ours).padStart(6)}  tshark ${String(theirs).padStart(6)}  ` +
          `agreement ${(share * 100).toFixed(1)}% (floor ${(floor * 100).toFixed(1)}%) ${ok ? 'ok' : 'BELOW FLOOR'}`
      );
      if (ok) {
        passed++;
      } else {
        failed++;
      }
    }
    console.log(`corpus: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { passed, failed };
  },
};

import { readFileSync, mkdirSync } from 'node:fs';
import { run } from '../lib/process.mjs';

// Jest's own counts become the tier's counts.
export default {
  name: 'unit',
  order: 30,
  skipReason: async () => null,
  async run() {
    mkdirSync('build', { recursive: true });
    const report = 'build/jest-report.json';
    const code = await run('npx', ['jest', '--ci', '--maxWorkers', '2', '--json', '--outputFile', report]);
    try {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      return { passed: r.numPassedTests, failed: r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0) };
    } catch {
      return { passed: 0, failed: 1 };
    }
  },
};

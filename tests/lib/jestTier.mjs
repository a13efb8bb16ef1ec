// Runs jest with a JSON report and turns its counts into the tier's counts.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { run } from './process.mjs';

export async function runJestTier(reportName, jestArgs) {
  mkdirSync('build', { recursive: true });
  const report = `build/${reportName}.json`;
  rmSync(report, { force: true });
  const code = await run('npx', ['jest', '--ci', ...jestArgs, '--json', '--outputFile', report]);
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    return { passed: r.numPassedTests, failed: r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

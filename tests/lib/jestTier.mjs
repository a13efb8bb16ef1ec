// Runs jest with a JSON report and turns its counts into the tier's counts.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { run } from './process.mjs';

export async function runJestTier(reportName, jestArgs, options = {}) {
  mkdirSync('build', { recursive: true });
  const report = `build/${reportName}.json`;
  rmSync(report, { force: true });
  const code = await run('npx', ['jest', '--ci', ...jestArgs, '--json', '--outputFile', report]);
  return jestReportCounts(report, code, options);
}

// failSkipped: inside a tier that decided it can run, a test skipping itself hides a missing feature.
export function jestReportCounts(report, code, { failSkipped = false } = {}) {
  let r;
  try {
    r = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    console.error(`jest wrote no report (${report}); exit code ${code}`);
    return { passed: 0, failed: 1 };
  }
  let failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
  if (r.numPassedTests + r.numFailedTests === 0) {
    console.error(`jest ran no tests (${r.numPendingTests} skipped, ${r.numTotalTestSuites} suites)`);
    failed = Math.max(failed, 1);
  }
  const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  if (failSkipped && skipped > 0) {
    console.error(`${skipped} tests were skipped although the tier can run them:`);
    for (const suite of r.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'pending' || test.status === 'todo') {
          console.error(`  skipped: ${test.fullName}`);
        }
      }
    }
    failed += skipped;
  }
  return { passed: r.numPassedTests, failed };
}

// The NetworkPolicy explainer against an independent evaluator (cyclonus' matcher, built with go and cached).
import { hasCommand } from '../lib/process.mjs';
import { runJestTier } from '../lib/jestTier.mjs';

export const ORACLE_TEST = 'agent/policy/oracleAgreement.test.ts';

export default {
  name: 'policy-oracle',
  order: 45,
  skipReason: async () => (hasCommand('go') ? null : 'go is not installed, so the oracle cannot be built'),
  run: () => runJestTier('jest-policy-oracle-report', ['--runInBand', ORACLE_TEST], { failSkipped: true }),
};

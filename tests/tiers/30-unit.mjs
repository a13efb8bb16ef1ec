import { runJestTier } from '../lib/jestTier.mjs';
import { ORACLE_TEST } from './45-policy-oracle.mjs';

// Fast jest suites; the NetworkPolicy oracle comparison builds Go code, so it has a tier of its own.
export default {
  name: 'unit',
  order: 30,
  skipReason: async () => null,
  run: () => runJestTier('jest-report', ['--maxWorkers', '2', '--testPathIgnorePatterns', ORACLE_TEST]),
};

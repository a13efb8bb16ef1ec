import { runAsOneCheck } from '../lib/process.mjs';

const projects = ['tsconfig.json', 'backend/tsconfig.json', 'agent/tsconfig.json', 'bench/tsconfig.json'];

export default {
  name: 'typecheck',
  order: 20,
  skipReason: async () => null,
  async run() {
    let passed = 0;
    let failed = 0;
    for (const project of projects) {
      const outcome = await runAsOneCheck('npx', ['tsc', '--noEmit', '-p', project]);
      passed += outcome.passed;
      failed += outcome.failed;
    }
    return { passed, failed };
  },
};

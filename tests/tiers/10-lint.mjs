import { runAsOneCheck } from '../lib/process.mjs';

export default {
  name: 'lint',
  order: 10,
  skipReason: async () => null,
  run: () => runAsOneCheck('npx', ['eslint', '--cache', '--max-warnings', '0', '.']),
};

// The release package: every platform's backend executable checked from its bytes, and the plugin metadata
// Grafana's plugin validator reads.
import {
  checkExecutables,
  checkPinnedNode,
  checkTheChecker,
  ensureExecutables,
} from '../package/backendExecutables.mjs';
import { CheckList } from '../package/checks.mjs';
import { checkPluginMetadata } from '../package/pluginMetadata.mjs';

export default {
  name: 'package',
  order: 25,
  skipReason: async () => null,
  async run() {
    const checks = new CheckList();
    checkPluginMetadata(checks);
    checkPinnedNode(checks);
    await ensureExecutables(checks);
    checkExecutables(checks);
    checks.guard('the checks of the checker ran', () => checkTheChecker(checks));
    return checks.counts;
  },
};

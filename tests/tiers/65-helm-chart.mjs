// The agent's Helm chart linted and rendered by helm itself (a test peer built from its Go module in the background
// while the earlier tiers run, hence this late place in the order).
import { awaitPeer } from '../../scripts/peers/index.mjs';
import { CheckList } from '../package/checks.mjs';
import { checkHelmChart } from '../package/helmChart.mjs';

export default {
  name: 'helm-chart',
  order: 65,
  skipReason: async () => null,
  async run() {
    const checks = new CheckList();
    let helm;
    try {
      helm = await awaitPeer('helm', { log: (line) => console.log(`  ${line}`) });
    } catch (err) {
      checks.check('helm is built', [err instanceof Error ? err.message : String(err)]);
      return checks.counts;
    }
    checks.guard('the Helm chart checks ran', () => checkHelmChart(checks, helm));
    return checks.counts;
  },
};

// The agent's OTLP drop exporter against the real Jaeger v1.75.0 (the cached test peer): the drop span it sends is
// stored under the drop's trace and read back through Jaeger's query API.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OtlpDropExporter } from '../../agent/export/otlpDropExporter';
import { startJaeger, type RunningJaeger } from '../../backend/testkit/jaeger/jaegerProcess';

const BINARY = process.env.WIRETRACE_JAEGER_BINARY ?? join(homedir(), '.cache/wiretrace/bin/jaeger-v1.75.0/jaeger');

async function traceText(httpUrl: string, traceId: string): Promise<string | undefined> {
  // Jaeger stores what its OTLP receiver took after a short batching delay: ask until it answers.
  for (let attempt = 0; attempt < 240; attempt++) {
    const response = await fetch(`${httpUrl}/api/v3/traces/${traceId}`);
    if (response.ok) {
      return response.text();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

describe('OtlpDropExporter against the real Jaeger', () => {
  let jaeger: RunningJaeger;

  beforeAll(async () => {
    if (!existsSync(BINARY)) {
      throw new Error(`the Jaeger test peer is not built at ${BINARY} (scripts/peers/jaeger.peer.mjs builds it)`);
    }
    jaeger = await startJaeger(BINARY);
  });
  afterAll(async () => jaeger?.stop());

  it('stores the drop span in the drop trace, with its reason and policy', async () => {
    const traceId = randomBytes(16).toString('hex');
    const nowUs = Date.now() * 1000;
    const exporter = new OtlpDropExporter({ url: jaeger.otlpHttpUrl, node: 'node-a', batchWaitMs: 5 });
    exporter.export({
      kind: 'drop',
      time: nowUs,
      endTime: nowUs + 1000,
      transport: 'tcp',
      source: 'pcap',
      node: 'node-a',
      traceId,
      src: { ip: '10.244.1.7', port: 43512, pod: 'checkout-7d4b8c6f9-x2k4m', namespace: 'shop' },
      dst: { ip: '10.244.2.15', port: 8080, pod: 'payment-api-0', namespace: 'payments', service: 'payment-api' },
      drop: { reason: 'policy_denied', verdict: 'dropped', attempts: 3, deniedBy: ['payments/allow-frontend'] },
    });
    await exporter.close();
    expect(exporter.counters.sent).toBe(1);
    const text = await traceText(jaeger.httpUrl, traceId);
    expect(text).toContain(traceId);
    expect(text).toContain('network.drop');
    expect(text).toContain('policy_denied');
    expect(text).toContain('payments/allow-frontend');
  });
});

// Runs every transcribed upstream NetworkPolicy case (tests/fixtures/netpol/*.yaml) through explainConnection.
import { explainConnection } from './explain';
import { buildCluster, expectedPolicies, expectedVerdict, upstreamCases as cases } from '../testkit/upstreamCases';

test('at least 25 upstream cases are transcribed, each with a citation', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  for (const [, c] of cases) {
    expect(c.cite).toMatch(/\S+\/\S+ \S+ .+/);
  }
});

describe.each(cases)('%s', (_file, c) => {
  const cluster = buildCluster(c);
  test(`${c.name}`, () => {
    const mismatches: string[] = [];
    for (const probe of c.probes) {
      for (const from of c.pods) {
        for (const to of c.pods) {
          if (from === to) {
            continue;
          }
          const explanation = explainConnection(cluster, from, to, probe.port, probe.protocol);
          const want = expectedVerdict(probe, from, to);
          const where = `${from} -> ${to} ${probe.port}/${probe.protocol}`;
          if (explanation.allowed !== want) {
            mismatches.push(
              `${where}: allowed=${explanation.allowed}, want ${want} (${explanation.egress.reason}; ${explanation.ingress.reason})`
            );
          }
          const wantEgress = expectedPolicies(c.selects.egress, from);
          const wantIngress = expectedPolicies(c.selects.ingress, to);
          if (JSON.stringify(explanation.egress.policies) !== JSON.stringify(wantEgress)) {
            mismatches.push(
              `${where}: egress policies ${JSON.stringify(explanation.egress.policies)}, want ${JSON.stringify(wantEgress)}`
            );
          }
          if (JSON.stringify(explanation.ingress.policies) !== JSON.stringify(wantIngress)) {
            mismatches.push(
              `${where}: ingress policies ${JSON.stringify(explanation.ingress.policies)}, want ${JSON.stringify(wantIngress)}`
            );
          }
        }
      }
      for (const conn of probe.connections ?? []) {
        const explanation = explainConnection(cluster, conn.from, conn.to, probe.port, probe.protocol);
        const got = {
          allowed: explanation.allowed,
          egress: explanation.egress.allowed,
          ingress: explanation.ingress.allowed,
        };
        const want = { allowed: conn.allowed, egress: conn.egress ?? got.egress, ingress: conn.ingress ?? got.ingress };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(
            `${conn.from} -> ${conn.to} ${probe.port}/${probe.protocol}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

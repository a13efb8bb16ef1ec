// Resolves names against one DNS server from a harness pod; prints what came back (answers, or the rcode of a failure).
import { Resolver } from 'node:dns/promises';

const [server, ...names] = process.argv.slice(2);
const resolver = new Resolver({ timeout: 2000, tries: 1 });
resolver.setServers([server]);
const RCODES = { ENOTFOUND: 'NXDOMAIN', ESERVFAIL: 'SERVFAIL', EREFUSED: 'REFUSED', ENODATA: 'NOERROR' };
const results = [];
for (const name of names) {
  try {
    results.push({ name, qtype: 'A', rcode: 'NOERROR', answers: await resolver.resolve4(name) });
  } catch (err) {
    results.push({ name, qtype: 'A', rcode: RCODES[err.code] ?? err.code, answers: [] });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');

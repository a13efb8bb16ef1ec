// Runs a plan of GETs for timing tests: each call may first resolve the server's name with the given DNS server,
// then goes over HTTPS or HTTP on a named keep-alive connection (calls naming the same one reuse it). Prints one JSON
// line per call: what came back and the local port, so the test can tell the connections apart.
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const [dnsServer, caFile, planJson] = process.argv.slice(2);
const plan = JSON.parse(planJson);
const resolver = new Resolver({ timeout: 2000, tries: 1 });
resolver.setServers([dnsServer]);
const ca = readFileSync(caFile);
const agents = new Map();
let address;

function agentFor(call) {
  let agent = agents.get(call.connection);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 1 };
    agent =
      call.scheme === 'https'
        ? new HttpsAgent({
            ...options,
            ca,
            ALPNProtocols: ['h2', 'http/1.1'],
            maxVersion: call.tlsVersion ?? 'TLSv1.3',
          })
        : new HttpAgent(options);
    agents.set(call.connection, agent);
  }
  return agent;
}

function get(call) {
  const send = call.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: address,
        servername: call.scheme === 'https' ? call.name : undefined,
        port: call.port,
        path: call.path,
        localAddress: '127.0.0.1',
        headers: { Host: call.name, ...(call.traceparent ? { traceparent: call.traceparent } : {}) },
        agent: agentFor(call),
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body, localPort: req.socket.localPort }));
      }
    );
    req.on('timeout', () => req.destroy(new Error(`${call.path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

for (const call of plan) {
  if (call.resolve) {
    [address] = await resolver.resolve4(call.name);
  }
  const seen = await get(call);
  process.stdout.write(JSON.stringify({ ...seen, path: call.path, address }) + '\n');
  // Apart in time, so no phase of one call overlaps the next.
  await new Promise((r) => setTimeout(r, 50));
}
for (const agent of agents.values()) {
  agent.destroy();
}

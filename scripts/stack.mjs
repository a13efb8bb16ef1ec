// `npm run stack` / `npm run stack:stop`: Jaeger, VictoriaLogs, Prometheus (and Grafana when installed) on loopback,
// without Docker. Tempo and Loki are the user's own, or the docker compose demo's.
// Usage: node scripts/stack.mjs up|down|status
import { stackDown, stackStatus, stackUp } from './stack/stackControl.mjs';

const log = (line) => console.log(line);
const command = process.argv[2] ?? 'up';

if (command === 'up') {
  const state = await stackUp({ log });
  console.log('\nWiretrace stack:');
  for (const server of state.servers) {
    for (const [what, where] of server.endpoints) {
      console.log(`  ${what.padEnd(16)} ${where}`);
    }
    console.log(`  ${''.padEnd(16)} (${server.name} pid ${server.pid}, log ${server.log})`);
  }
  for (const reason of state.unavailable) {
    console.log(`  not running: ${reason}`);
  }
  console.log('Stop it with: npm run stack:stop');
  process.exit(state.servers.length > 0 ? 0 : 3);
} else if (command === 'down') {
  const stopped = await stackDown();
  console.log(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing was running');
} else if (command === 'status') {
  for (const { name, pid, log: file } of stackStatus()) {
    console.log(`  ${name.padEnd(8)} ${pid === null ? 'not running' : `running, pid ${pid}, log ${file}`}`);
  }
} else {
  console.error(`usage: node scripts/stack.mjs up|down|status (got "${command}")`);
  process.exit(2);
}

// JSON log lines with trace_id: printed to stdout and pushed to Loki in small batches.
import { hostname } from 'node:os';

export class LokiLogger {
  #queue = [];
  #timer;
  #dropped = 0;

  constructor({ url, serviceName, namespace, maxQueue = 5000 }) {
    this.url = url;
    this.labels = { service_name: serviceName, namespace, pod: hostname() };
    this.maxQueue = maxQueue;
    this.#timer = url ? setInterval(() => void this.flush(), 1000) : undefined;
    this.#timer?.unref();
  }

  log(level, msg, fields = {}) {
    const line = JSON.stringify({ ts: new Date().toISOString(), level, msg, service: this.labels.service_name, ...fields });
    process.stdout.write(`${line}\n`);
    if (!this.url) {
      return;
    }
    if (this.#queue.length >= this.maxQueue) {
      this.#dropped++;
      return;
    }
    const metadata = fields.trace_id ? { trace_id: fields.trace_id } : {};
    this.#queue.push([`${Date.now()}000000`, line, metadata]);
  }

  async flush() {
    if (this.#queue.length === 0) {
      return;
    }
    const values = this.#queue.splice(0, this.#queue.length);
    try {
      const response = await fetch(`${this.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ streams: [{ stream: this.labels, values }] }),
      });
      if (!response.ok) {
        process.stderr.write(`loki push answered ${response.status}: ${(await response.text()).slice(0, 200)}\n`);
      }
    } catch (err) {
      // Loki may still be starting: the demo keeps running and tells why the lines are missing.
      process.stderr.write(`loki push failed (${values.length} lines lost): ${err.message}\n`);
    }
    if (this.#dropped > 0) {
      process.stderr.write(`log queue full: ${this.#dropped} lines not shipped\n`);
      this.#dropped = 0;
    }
  }
}

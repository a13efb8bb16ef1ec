// Reads the per-upstream part of CheckHealth's jsonDetails, whichever of the two layouts the backend sends:
// { upstreams: [{ name, status, message }] } or { tempo: { status, message }, loki: {...}, agents: {...} }.

export type UpstreamState = 'ok' | 'error' | 'skipped';

export interface UpstreamHealth {
  name: string;
  state: UpstreamState;
  message: string;
}

const OK = new Set(['ok', 'healthy', 'up', 'success', 'serving']);
const SKIPPED = new Set(['skipped', 'not_configured', 'unconfigured', 'disabled']);

export function readUpstreamHealth(details: unknown): UpstreamHealth[] {
  if (!details || typeof details !== 'object') {
    return [];
  }
  const record = details as Record<string, unknown>;
  if (Array.isArray(record.upstreams)) {
    return record.upstreams.flatMap((entry) => {
      const name = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).name : undefined;
      return typeof name === 'string' ? [toHealth(name, entry)] : [];
    });
  }
  return Object.entries(record)
    .filter(([key, value]) => key !== 'message' && key !== 'verboseMessage' && value && typeof value === 'object')
    .map(([key, value]) => toHealth(key, value));
}

function toHealth(name: string, entry: unknown): UpstreamHealth {
  const fields = entry as Record<string, unknown>;
  const rawStatus = fields.status ?? fields.state ?? fields.ok;
  const message = typeof fields.message === 'string' ? fields.message : typeof fields.error === 'string' ? fields.error : '';
  return { name, state: toState(rawStatus), message };
}

function toState(raw: unknown): UpstreamState {
  if (raw === true) {
    return 'ok';
  }
  if (typeof raw === 'string') {
    const lower = raw.toLowerCase();
    if (OK.has(lower)) {
      return 'ok';
    }
    if (SKIPPED.has(lower)) {
      return 'skipped';
    }
  }
  return 'error';
}

const MARK: Record<UpstreamState, string> = { ok: '✓', error: '✗', skipped: '–' };

// One line per upstream, as Grafana's Save & test shows `details.verboseMessage` under the result.
export function describeUpstreamHealth(upstreams: UpstreamHealth[]): string {
  return upstreams
    .map((u) => `${MARK[u.state]} ${displayName(u.name)}${u.message ? `: ${u.message}` : ''}`)
    .join('\n');
}

export function displayName(name: string): string {
  const known: Record<string, string> = { tempo: 'Tempo', loki: 'Loki', agents: 'Agents', agent: 'Agent' };
  return known[name.toLowerCase()] ?? name;
}

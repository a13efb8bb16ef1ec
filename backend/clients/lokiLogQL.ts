// LogQL built from query filters: label matchers pushed down, values escaped, selectors validated.

export interface LabelMatcher {
  name: string;
  op: '=' | '=~' | '!=' | '!~';
  value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function logQLString(value: string): string {
  return JSON.stringify(value);
}

export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function selector(matchers: LabelMatcher[]): string {
  for (const m of matchers) {
    if (!LABEL_NAME.test(m.name)) {
      throw new Error(`invalid Loki label name ${JSON.stringify(m.name)}`);
    }
  }
  return `{${matchers.map((m) => `${m.name}${m.op}${logQLString(m.value)}`).join(', ')}}`;
}

// Adds matchers to a configured selector such as {service_name="wiretrace-agent"}.
export function extendSelector(base: string, extra: LabelMatcher[]): string {
  const trimmed = base.trim();
  if (!/^\{.*\}$/s.test(trimmed)) {
    throw new Error(`stream selector must look like {label="value"}, got ${JSON.stringify(base)}`);
  }
  if (extra.length === 0) {
    return trimmed;
  }
  const inner = trimmed.slice(1, -1).trim();
  const added = selector(extra).slice(1, -1);
  return `{${inner ? `${inner}, ${added}` : added}}`;
}

// Logs of one trace: application logs either carry trace_id as structured metadata or in the line.
export function traceLogQueries(streamSelector: string, traceId: string): string[] {
  return [`${streamSelector} | trace_id=${logQLString(traceId)}`, `${streamSelector} |= ${logQLString(traceId)}`];
}

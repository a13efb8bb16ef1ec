// Masks secrets in text in every form an upstream may echo them: raw, JSON-escaped, URL-encoded, hex, base64.
import type { DatasourceSettings } from './types';

export const REDACTED = '[redacted]';

// Shorter values would mask ordinary words; settings never hold secrets this short in practice.
const MIN_SECRET_CHARS = 4;
const MIN_FORM_CHARS = 4;
const MAX_CACHED_MASKS = 64;
// How much of a huge body an excerpt may mask before giving up on the text near the cut.
const MAX_EXCERPT_WINDOW = 1024 * 1024;

type Encoder = (text: string) => string;

const hex4 = (c: string, upper: boolean): string => {
  const h = c.charCodeAt(0).toString(16).padStart(4, '0');
  return `\\u${upper ? h.toUpperCase() : h}`;
};
const jsonBody: Encoder = (t) => JSON.stringify(t).slice(1, -1);
// HTML-safe encoders with ASCII-only output (Python's ensure_ascii, .NET): HTML characters and non-ASCII as \uXXXX.
const jsonHtmlSafe =
  (upper: boolean): Encoder =>
  (t) =>
    jsonBody(t).replace(/[<>&'\u007f-\uffff]/g, (c) => hex4(c, upper));
// Go's encoding/json: HTML characters only, non-ASCII kept as UTF-8.
const jsonGo =
  (upper: boolean): Encoder =>
  (t) =>
    jsonBody(t).replace(/[<>&]/g, (c) => hex4(c, upper));
const jsonSlashes: Encoder = (t) => jsonBody(t).replace(/\//g, '\\/');
// Go's url.QueryEscape and HTML forms: space as '+', everything but A-Za-z0-9-_.~ percent-encoded.
const formEncode: Encoder = (t) =>
  encodeURIComponent(t)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
const lowerPercent =
  (e: Encoder): Encoder =>
  (t) =>
    e(t).replace(/%[0-9A-F]{2}/g, (p) => p.toLowerCase());
const hexBytes =
  (upper: boolean): Encoder =>
  (t) => {
    const h = Buffer.from(t, 'utf8').toString('hex');
    return upper ? h.toUpperCase() : h;
  };

const ENCODERS: Encoder[] = [
  jsonBody,
  jsonHtmlSafe(false),
  jsonHtmlSafe(true),
  jsonGo(false),
  jsonGo(true),
  jsonSlashes,
  encodeURIComponent,
  lowerPercent(encodeURIComponent),
  formEncode,
  lowerPercent(formEncode),
  hexBytes(false),
  hexBytes(true),
];

// The base64 characters that depend on the secret alone, at each of the three byte alignments it may have
// inside a longer encoded value (e.g. base64 of "user:password" or of a whole header line).
function base64Cores(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

const encodingsOf = (text: string): string[] => [...base64Cores(text), ...ENCODERS.map((encode) => encode(text))];

// Every form of one secret: itself, one encoding or base64 of it, and one encoding of those
// (a JSON echo of a URL-encoded header, base64 of a whole "Authorization: Basic …" line).
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_CHARS) {
    return [];
  }
  const first = new Set<string>([secret, ...encodingsOf(secret)]);
  const all = new Set<string>(first);
  for (const form of first) {
    encodingsOf(form).forEach((f) => all.add(f));
  }
  return [...all].filter((f) => f.length >= MIN_FORM_CHARS);
}

// Catches credentials the mask was not told about, e.g. an upstream echoing a header it added itself.
const AUTH_SCHEME_VALUE = /\b(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9\-._~+/%]+=*/gi;

export class SecretMask {
  private readonly forms: string[];
  readonly longestForm: number;

  constructor(secrets: ReadonlyArray<string | undefined>) {
    const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_CHARS);
    const forms = new Set<string>();
    for (const secret of known) {
      secretForms(secret).forEach((f) => forms.add(f));
    }
    // Longest first, so a form that contains another is masked whole.
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.longestForm = this.forms[0]?.length ?? 0;
  }

  get empty(): boolean {
    return this.forms.length === 0;
  }

  mask(text: string): string {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) {
        out = out.split(form).join(REDACTED);
      }
    }
    return out.replace(AUTH_SCHEME_VALUE, `$1 ${REDACTED}`);
  }

  // The first maxChars of text, masked and on one line: masking comes first, so a cut never leaves a prefix.
  excerpt(text: string, maxChars: number): string {
    const masked = (window: number) => this.mask(text.slice(0, window)).replace(/\s+/g, ' ').trim();
    let window = Math.max(4096, maxChars * 4);
    let out = masked(window);
    // A secret straddling the window's end stays partly unmasked; it must lie beyond the cut.
    const margin = this.longestForm + 64;
    while (window < text.length && out.length < maxChars + margin) {
      if (window >= MAX_EXCERPT_WINDOW) {
        // Mostly whitespace or echoed secrets: drop the tail where a cut secret could sit.
        return out.slice(0, Math.max(0, Math.min(maxChars, out.length - margin))) + '…';
      }
      window *= 4;
      out = masked(window);
    }
    return out.length > maxChars ? out.slice(0, maxChars) + '…' : out;
  }
}

// Masks every string inside a JSON-like value (health details), keeping its shape.
export function maskDeep(value: unknown, mask: SecretMask): unknown {
  if (typeof value === 'string') {
    return mask.mask(value);
  }
  if (Array.isArray(value)) {
    return value.map((v) => maskDeep(v, mask));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)]));
  }
  return value;
}

const cache = new Map<string, SecretMask>();

// Masks are built once per set of secrets (one per datasource version), not once per log line.
export function secretMaskFor(secrets: ReadonlyArray<string | undefined>): SecretMask {
  const key = JSON.stringify(secrets);
  let mask = cache.get(key);
  if (!mask) {
    if (cache.size >= MAX_CACHED_MASKS) {
      cache.clear();
    }
    mask = new SecretMask(secrets);
    cache.set(key, mask);
  }
  return mask;
}

// The decrypted secrets of a datasource, plus "user:password" for each basic-auth upstream (sent as base64).
export function settingsSecrets(settings: Pick<DatasourceSettings, 'jsonData' | 'secure'>): string[] {
  const secure: Partial<Record<string, string>> = { ...settings.secure };
  const secrets = Object.values(secure).filter((s): s is string => typeof s === 'string');
  for (const [name, upstream] of Object.entries(settings.jsonData)) {
    const user = (upstream as { basicAuthUser?: unknown } | null)?.basicAuthUser;
    const password = secure[`${name}Password`];
    if (typeof user === 'string' && password) {
      secrets.push(`${user}:${password}`);
    }
  }
  return secrets;
}

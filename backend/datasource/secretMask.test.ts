import { REDACTED, SecretMask, maskDeep, secretForms, settingsSecrets } from './secretMask';

const token = 'tok-<&>"\\ +/=%é-SECRET-0123456789abcdef';
const user = 'admin';
const password = 'TempoPass-SECRET-0<&';

// The encodings an upstream echoing request headers may use, written independently of the mask.
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const goJson = json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  const python = goJson.replace(/é/g, '\\u00e9');
  return [
    secret,
    json,
    goJson,
    goJson.replace(/\\u00([0-9a-f]{2})/g, (_, h: string) => `\\u00${h.toUpperCase()}`),
    python,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    Buffer.from(secret).toString('hex'),
  ];
}

describe('SecretMask', () => {
  const mask = new SecretMask([token, password, `${user}:${password}`]);

  it.each(encodings(token).map((e) => [e]))('masks the token echoed as %s', (form) => {
    const out = mask.mask(`upstream said: header=${form}; bye`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(form);
  });

  it('masks base64 of user:password and of a whole header line, at any alignment', () => {
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    const decoded = (text: string) =>
      text.split(/[^A-Za-z0-9+/=_-]+/).flatMap((t) => {
        const once = Buffer.from(t, 'base64').toString('latin1');
        return [t, once, Buffer.from(once, 'base64').toString('latin1')];
      });
    for (const prefix of ['', 'x', 'xy']) {
      const header = Buffer.from(`${prefix}Authorization: Basic ${basic}`).toString('base64');
      const line = Buffer.from(`${prefix}${user}:${password}`).toString('base64');
      const out = mask.mask(`echo ${basic} ${header} ${line}`);
      expect(decoded(out).filter((d) => d.includes('SECRET'))).toEqual([]);
      expect(out).not.toContain(basic.slice(0, 12));
    }
  });

  it('masks before cutting, so no prefix of a secret survives an excerpt', () => {
    for (let pad = 250; pad < 310; pad++) {
      const body = `${'x'.repeat(pad)} Authorization: Bearer ${token} and ${token}`;
      const excerpt = mask.excerpt(body, 300);
      expect(excerpt).not.toContain(token.slice(0, 8));
      expect(excerpt.length).toBeLessThanOrEqual(301);
    }
  });

  it('keeps a huge body excerpt bounded and masked when secrets fill its start', () => {
    const body = `${token} `.repeat(200_000);
    const excerpt = mask.excerpt(body, 300);
    expect(excerpt).not.toContain(token.slice(0, 8));
    expect(excerpt.length).toBeLessThanOrEqual(301);
  });

  it('masks credentials it was not told about after an auth scheme', () => {
    expect(new SecretMask([]).mask('got Bearer abc.def-ghi and Basic dXNlcjpwYXNz')).toBe(
      `got Bearer ${REDACTED} and Basic ${REDACTED}`
    );
  });

  it('masks every string of a nested value and keeps its shape, even for a secret ending in a backslash', () => {
    const slashMask = new SecretMask(['ends-with\\']);
    const details = { upstreams: [{ message: 'said ends-with\\', reachable: true, version: null }] };
    expect(maskDeep(details, slashMask)).toEqual({
      upstreams: [{ message: `said ${REDACTED}`, reachable: true, version: null }],
    });
  });

  it('ignores values too short to be secrets', () => {
    expect(secretForms('ab')).toEqual([]);
    expect(new SecretMask(['ab']).mask('abc')).toBe('abc');
  });

  it('lists every secret of the settings and user:password for basic-auth upstreams', () => {
    expect(
      settingsSecrets({
        jsonData: { tempo: { url: 'http://t', auth: 'basic', basicAuthUser: 'admin' }, loki: { url: 'http://l' } },
        secure: { tempoPassword: 'pw-1234', agentToken: 'agent-token' },
      })
    ).toEqual(['pw-1234', 'agent-token', 'admin:pw-1234']);
  });
});

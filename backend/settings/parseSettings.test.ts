import { parseSettings, SettingsError, type RawInstanceSettings } from './parseSettings';

const SECRET = 'super-secret-token-8c1f';

function raw(jsonData: unknown, secure: Record<string, string> = {}): RawInstanceSettings {
  return {
    uid: 'wt',
    name: 'Wiretrace',
    jsonData: Buffer.from(JSON.stringify(jsonData)),
    decryptedSecureJsonData: secure,
  };
}

function problemsOf(settings: RawInstanceSettings): string[] {
  try {
    parseSettings(settings);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
  throw new Error('expected a SettingsError');
}

describe('parseSettings', () => {
  it('parses upstreams, agents, limits and picks only known secrets', () => {
    const s = parseSettings(
      raw(
        {
          tempo: { url: 'http://tempo:3200/', auth: 'bearer', datasourceUid: 'tempo-uid' },
          loki: { url: 'http://loki:3100', auth: 'basic', basicAuthUser: 'grafana' },
          agentUrls: ['http://10.0.0.5:9464'],
          tenant: 'team-a',
          timeoutMs: 5000,
          maxRows: '2000',
        },
        { tempoToken: SECRET, lokiPassword: 'pw', unrelated: 'x' }
      )
    );
    expect(s.jsonData.tempo).toEqual({ url: 'http://tempo:3200', auth: 'bearer', datasourceUid: 'tempo-uid' });
    expect(s.jsonData.agentUrls).toEqual(['http://10.0.0.5:9464']);
    expect(s.jsonData.maxRows).toBe(2000);
    expect(s.secure).toEqual({ tempoToken: SECRET, lokiPassword: 'pw' });
  });

  it('accepts empty jsonData (a datasource never saved)', () => {
    expect(
      parseSettings({ uid: 'u', name: 'n', jsonData: new Uint8Array(), decryptedSecureJsonData: {} }).jsonData
    ).toEqual({});
  });

  it('names every invalid field', () => {
    const problems = problemsOf(
      raw({ tempo: { url: 'ftp://x' }, loki: { url: 'http://l', auth: 'magic' }, agentUrls: 'http://a', timeoutMs: -1 })
    );
    expect(problems).toEqual([
      'jsonData.tempo.url must use http or https, got ftp:',
      'jsonData.loki.auth must be one of none, basic, bearer',
      'jsonData.agentUrls must be a list of URLs',
      'jsonData.timeoutMs must be an integer between 1 and 600000',
    ]);
  });

  it('requires the secret that the chosen auth needs', () => {
    expect(problemsOf(raw({ tempo: { url: 'http://t', auth: 'basic' } }))).toEqual([
      'jsonData.tempo.basicAuthUser is required for basic auth',
      'secureJsonData.tempoPassword is required for basic auth',
    ]);
  });

  it('reports broken JSON and never echoes secrets or URL credentials', () => {
    expect(problemsOf({ ...raw({}), jsonData: '{"tempo":' })[0]).toMatch(/^jsonData is not valid JSON/);
    const err = (() => {
      try {
        parseSettings(raw({ tempo: { url: `http://user:${SECRET}@tempo` } }, { tempoToken: SECRET }));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toContain('must not contain credentials');
    expect(err?.message).not.toContain(SECRET);
  });
});

import { parseSettings, SettingsError, type RawInstanceSettings } from './parseSettings';

function raw(jsonData: unknown, secure: Record<string, string> = {}): RawInstanceSettings {
  return { uid: 'wt', name: 'Wiretrace', jsonData: JSON.stringify(jsonData), decryptedSecureJsonData: secure };
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

describe('log store settings', () => {
  it('reads VictoriaLogs as the log store with its URL, auth and secret', () => {
    const s = parseSettings(
      raw(
        { logStore: 'victorialogs', victorialogs: { url: 'http://victorialogs:9428', auth: 'bearer' } },
        { victorialogsToken: 's3cret' }
      )
    );
    expect(s.jsonData.logStore).toBe('victorialogs');
    expect(s.jsonData.victorialogs).toMatchObject({ url: 'http://victorialogs:9428', auth: 'bearer' });
    expect(s.secure.victorialogsToken).toBe('s3cret');
  });

  it('names an unknown log store and a missing VictoriaLogs secret', () => {
    expect(problemsOf(raw({ logStore: 'elastic' }))).toEqual(['jsonData.logStore must be one of loki, victorialogs']);
    expect(problemsOf(raw({ victorialogs: { url: 'http://v:9428', auth: 'basic', basicAuthUser: 'u' } }))).toEqual([
      'secureJsonData.victorialogsPassword is required for basic auth',
    ]);
  });
});

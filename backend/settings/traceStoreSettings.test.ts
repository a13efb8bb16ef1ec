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

describe('trace store settings', () => {
  it('reads Jaeger as the store with its URLs, auth, datasource uid and secret', () => {
    const s = parseSettings(
      raw(
        {
          traceStore: 'jaeger',
          jaeger: {
            url: 'http://jaeger:16686/',
            grpcUrl: 'http://jaeger-query:16685',
            auth: 'basic',
            basicAuthUser: 'grafana',
            datasourceUid: 'jaeger-uid',
          },
        },
        { jaegerPassword: 'pw-3f1a' }
      )
    );
    expect(s.jsonData.traceStore).toBe('jaeger');
    expect(s.jsonData.jaeger).toEqual({
      url: 'http://jaeger:16686',
      grpcUrl: 'http://jaeger-query:16685',
      auth: 'basic',
      basicAuthUser: 'grafana',
      datasourceUid: 'jaeger-uid',
    });
    expect(s.secure).toEqual({ jaegerPassword: 'pw-3f1a' });
  });

  it('defaults to Tempo and names every bad Jaeger field', () => {
    expect(parseSettings(raw({})).jsonData.traceStore).toBeUndefined();
    expect(
      problemsOf(
        raw({ traceStore: 'zipkin', jaeger: { url: 'http://jaeger:16686', auth: 'bearer', grpcUrl: 'jaeger:16685' } })
      )
    ).toEqual([
      'secureJsonData.jaegerToken is required for bearer auth',
      'jsonData.jaeger.grpcUrl must use http or https, got jaeger:',
      'jsonData.traceStore must be one of tempo, jaeger',
    ]);
  });
});

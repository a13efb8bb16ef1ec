// Hands each request the DatasourceInstance of its settings version: settings are parsed once per version (the
// instance's last update time and its settings bytes), and the previous version is disposed when they change.
import { createHash } from 'node:crypto';
import { parseSettings, type RawInstanceSettings } from '../settings/parseSettings';
import { DatasourceInstance } from './datasourceInstance';

export type SettingsParser = typeof parseSettings;

interface HeldInstance {
  version: string;
  // Invalid settings are remembered too: every request of that version reports the same error.
  instance: DatasourceInstance | Error;
}

export class InstanceManager {
  private readonly held = new Map<string, HeldInstance>();

  constructor(private readonly parse: SettingsParser = parseSettings) {}

  instanceFor(raw: RawInstanceSettings): DatasourceInstance | Error {
    const version = settingsVersion(raw);
    const held = this.held.get(raw.uid);
    if (held?.version === version) {
      return held.instance;
    }
    if (held?.instance instanceof DatasourceInstance) {
      held.instance.dispose();
    }
    const instance = this.build(raw);
    this.held.set(raw.uid, { version, instance });
    return instance;
  }

  private build(raw: RawInstanceSettings): DatasourceInstance | Error {
    try {
      return new DatasourceInstance(this.parse(raw));
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }
}

// Grafana bumps lastUpdatedMs on every save; the bytes are compared too, so settings that change without a new
// time (a provisioned file edited, a host that sends no time) still make a new version. Hashed: the held
// version never keeps a copy of the secrets.
function settingsVersion(raw: RawInstanceSettings): string {
  const hash = createHash('sha256');
  hash.update(`${raw.lastUpdatedMs ?? ''}\u0000${raw.name}\u0000${raw.url ?? ''}\u0000`);
  hash.update(raw.jsonData);
  for (const key of Object.keys(raw.decryptedSecureJsonData).sort()) {
    hash.update(`\u0000${key}\u0000${raw.decryptedSecureJsonData[key]}`);
  }
  return hash.digest('base64');
}

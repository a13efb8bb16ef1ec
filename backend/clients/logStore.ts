// Which store application logs are read from (Loki unless the settings name VictoriaLogs), and whether it is set.
import type { LogStoreKind } from '../../model/settings';
import type { DatasourceSettings } from '../datasource/types';
import { isConfigured } from './upstreams';

export function logStoreOf(settings: DatasourceSettings): LogStoreKind {
  return settings.jsonData.logStore ?? 'loki';
}

export function logStoreName(settings: DatasourceSettings): string {
  return logStoreOf(settings) === 'victorialogs' ? 'VictoriaLogs' : 'Loki';
}

export function isLogStoreConfigured(settings: DatasourceSettings): boolean {
  return isConfigured(settings, logStoreOf(settings));
}

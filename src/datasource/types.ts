import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import type { WiretraceQueryModel } from '../../model/query';
import type { WiretraceJsonData as SharedJsonData, WiretraceSecureJsonData } from '../../model/settings';

export type WiretraceQuery = DataQuery & Partial<WiretraceQueryModel>;
export interface WiretraceJsonData extends DataSourceJsonData, SharedJsonData {}
export type { WiretraceSecureJsonData };

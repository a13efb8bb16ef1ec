import { type CustomTransformOperator, SceneDataTransformer, SceneQueryRunner } from '@grafana/scenes';
import type { DataSourceRef, DataTransformerConfig } from '@grafana/schema';
import type { WiretraceQueryModel } from '../../../model/query';
import type { WiretraceQuery } from '../../datasource/types';

export type PageQuery = Partial<WiretraceQueryModel> & Pick<WiretraceQueryModel, 'queryType'> & { refId?: string };

// Each panel's query reads the page filters; the datasource resolves "$namespace" and friends.
export function withPageFilters(query: PageQuery, filters: Array<'namespace' | 'pod' | 'service' | 'search'>): PageQuery {
  const next: PageQuery = { ...query };
  for (const filter of filters) {
    if (next[filter] === undefined) {
      next[filter] = `$${filter}`;
    }
  }
  return next;
}

export function wiretraceRunner(datasource: DataSourceRef, queries: PageQuery[], maxDataPoints?: number): SceneQueryRunner {
  const withIds: WiretraceQuery[] = queries.map((q, i) => ({ ...q, refId: q.refId ?? String.fromCharCode(65 + i) }));
  return new SceneQueryRunner({ datasource, queries: withIds, maxDataPoints });
}

export function transformed(
  runner: SceneQueryRunner,
  transformations: Array<DataTransformerConfig | CustomTransformOperator>
): SceneDataTransformer {
  return new SceneDataTransformer({ $data: runner, transformations });
}

// Transforms the data of the closest ancestor with $data: several panels share one query that way.
export function sharedTransformed(transformations: Array<DataTransformerConfig | CustomTransformOperator>): SceneDataTransformer {
  return new SceneDataTransformer({ transformations });
}

// drops as numeric wide time series (drops per bucket, one series per reason or policy) for alert rules.
import { FRAME } from '../../model/frameNames';
import { formatDropId } from '../../model/dropId';
import { dropPolicyNames } from '../../model/dropPolicies';
import type { NetworkEvent } from '../../model/events';
import type { DropGrouping } from '../../model/query';
import type { QueryContext } from '../datasource/types';
import type { DataLink, Field, Frame } from '../frames/frame';
import { APP_PATH } from './links';
import { bucketIndex, bucketTimes, bucketsFor } from './timeBuckets';

export function dropSeriesFrame(ctx: QueryContext, drops: readonly NetworkEvent[], groupBy: DropGrouping): Frame {
  const buckets = bucketsFor(ctx);
  const series = new Map<string, number[]>();
  // The newest drop of each series: an alert on a series opens its case in one click.
  const newest = new Map<string, NetworkEvent>();
  const seriesFor = (key: string) => {
    let values = series.get(key);
    if (!values) {
      values = new Array(buckets.count).fill(0);
      series.set(key, values);
    }
    return values;
  };
  for (const drop of drops) {
    const i = bucketIndex(buckets, drop.time / 1000);
    if (i < 0) {
      continue;
    }
    const keys = groupBy === 'policy' ? dropPolicyNames(drop) : [drop.drop?.reason ?? 'unknown'];
    for (const key of keys.length ? keys : ['none']) {
      seriesFor(key)[i]++;
      if ((newest.get(key)?.time ?? -Infinity) <= drop.time) {
        newest.set(key, drop);
      }
    }
  }
  const label = groupBy === 'policy' ? 'policy' : 'reason';
  const fields: Field[] = [...series.keys()].sort().map((key) => ({
    name: FRAME.drops,
    type: 'number',
    values: series.get(key)!,
    labels: { [label]: key },
    config: { displayNameFromDS: `drops ${key}`, links: [newestDropLink(newest.get(key)!)] },
  }));
  // No drops is a real zero for an alert rule, not "no data".
  if (fields.length === 0) {
    fields.push({ name: 'drops', type: 'number', values: new Array(buckets.count).fill(0) });
  }
  return {
    name: FRAME.drops,
    refId: ctx.refId,
    meta: {
      type: 'timeseries-wide',
      typeVersion: [0, 1],
      preferredVisualisationType: 'graph',
      custom: { stepMs: buckets.stepMs },
    },
    fields: [{ name: 'time', type: 'time', values: bucketTimes(buckets), nullable: false }, ...fields],
  };
}

function newestDropLink(drop: NetworkEvent): DataLink {
  return {
    title: 'Investigate the newest drop of this series',
    url: `${APP_PATH}/investigate?drop=${encodeURIComponent(formatDropId(drop))}&\${__url_time_range}`,
  };
}

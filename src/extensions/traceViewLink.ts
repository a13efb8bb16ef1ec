import { PluginExtensionAddedLinkConfig, PluginExtensionPoints } from '@grafana/data';
import { normalizeTraceId } from '../../model/traceId';
import { DATASOURCE_TYPE, PLUGIN_BASE_URL, ROUTES } from '../constants';

// The part of Grafana's trace view context we read: core passes `{ ...trace, datasource }` (times in µs).
export interface TraceViewContext {
  traceID?: string;
  startTime?: number;
  endTime?: number;
  duration?: number;
  datasource?: { uid?: string; type?: string };
}

export const TRACE_VIEW_LINK_TITLE = 'Network events for this trace';

// A minute of margin on both sides: drops (a SYN that never got an answer) often precede the span's start.
const MARGIN_MS = 60_000;

export function investigatePathFor(context: TraceViewContext | undefined): string | undefined {
  const traceId = normalizeTraceId(context?.traceID);
  if (!traceId) {
    return undefined;
  }
  // case=single: the page opens the drop's case directly when exactly one drop explains the trace.
  const params = new URLSearchParams({ traceId, case: 'single' });
  if (context?.startTime) {
    const startMs = Math.floor(context.startTime / 1000);
    const endMs = Math.ceil((context.endTime ?? context.startTime + (context.duration ?? 0)) / 1000);
    params.set('from', String(startMs - MARGIN_MS));
    params.set('to', String(endMs + MARGIN_MS));
  }
  return `${PLUGIN_BASE_URL}/${ROUTES.Investigate}?${params.toString()}`;
}

// Grafana's trace view offers `grafana/traceview/details` only to the Profiles app; the header actions take any app's link.
export const traceViewLink: PluginExtensionAddedLinkConfig<TraceViewContext> = {
  title: TRACE_VIEW_LINK_TITLE,
  description:
    'Drops, resets, retransmits and DNS on the connections of this trace’s spans, with the policy that explains them',
  targets: [PluginExtensionPoints.TraceViewHeaderActions],
  icon: 'exchange-alt',
  path: `${PLUGIN_BASE_URL}/${ROUTES.Investigate}`,
  configure: (context) => {
    // Wiretrace's own trace frames already carry each span's network case; the header link would repeat it.
    if (context?.datasource?.type === DATASOURCE_TYPE) {
      return undefined;
    }
    const path = investigatePathFor(context);
    return path ? { path } : undefined;
  },
};

// Stand-in for the header of Grafana's trace view (core, AGPL): the trace id and the extension links apps add to
// `grafana/traceview/header/actions`, resolved through usePluginLinks with the context Grafana passes.
import React, { useMemo } from 'react';
import { PluginExtensionPoints } from '@grafana/data';
import { usePluginLinks } from '@grafana/runtime';
import { LinkButton } from '@grafana/ui';

export interface TraceHeaderContext {
  traceID: string;
  startTime?: number;
  endTime?: number;
  duration?: number;
  datasource: { uid: string; type: string };
}

export function TraceViewHeader({ context }: { context: TraceHeaderContext }) {
  const memo = useMemo(() => context, [context]);
  const { links, isLoading } = usePluginLinks({ extensionPointId: PluginExtensionPoints.TraceViewHeaderActions, context: memo });
  return (
    <div data-testid="host-trace-view-header" data-trace-id={context.traceID} style={{ border: '1px dashed #ff9830', padding: 8, margin: '8px 0' }}>
      <div style={{ fontSize: 11, textTransform: 'uppercase', color: '#ff9830' }}>
        Stand-in for Grafana&apos;s trace view header (core, not loaded): trace {context.traceID} from {context.datasource.type}
      </div>
      <div data-testid="host-extension-links" data-loading={String(isLoading)} style={{ marginTop: 6 }}>
        {!isLoading && links.length === 0 ? <span style={{ fontSize: 12 }}>no extension links for this trace</span> : null}
        {links.map((link) => (
          <LinkButton key={link.id} href={link.path} size="sm" variant="secondary" icon={link.icon} title={link.description} data-testid="host-extension-link">
            {link.title}
          </LinkButton>
        ))}
      </div>
    </div>
  );
}

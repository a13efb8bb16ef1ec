// The trace store the datasource reads spans from: Tempo (default) or Jaeger, each with its URL, auth and links.
import React from 'react';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import type { TraceStoreKind } from '../../../../model/settings';
import { testIds } from '../../../components/testIds';
import { setTraceStore, setUpstream, WiretraceSettings } from './settingsUpdates';
import { UpstreamSection } from './UpstreamSection';

interface Props {
  options: WiretraceSettings;
  onOptionsChange: (options: WiretraceSettings) => void;
}

const STORE_OPTIONS: Array<{ label: string; value: TraceStoreKind }> = [
  { label: 'Tempo', value: 'tempo' },
  { label: 'Jaeger', value: 'jaeger' },
];

export function TraceStoreSection({ options, onOptionsChange }: Props) {
  const store = options.jsonData.traceStore ?? 'tempo';
  return (
    <>
      <FieldSet label="Traces">
        <Field label="Trace store" description="Where the spans the drops are joined with are read from.">
          <div data-testid={testIds.configEditor.traceStore}>
            <RadioButtonGroup<TraceStoreKind>
              options={STORE_OPTIONS}
              value={store}
              onChange={(value) => onOptionsChange(setTraceStore(options, value))}
            />
          </div>
        </Field>
      </FieldSet>
      {store === 'tempo' ? (
        <UpstreamSection
          upstream="tempo"
          title="Tempo"
          placeholder="http://tempo:3200"
          options={options}
          onOptionsChange={onOptionsChange}
        />
      ) : (
        <UpstreamSection
          upstream="jaeger"
          title="Jaeger"
          placeholder="http://jaeger:16686"
          options={options}
          onOptionsChange={onOptionsChange}
        >
          <Field
            label="Query gRPC URL"
            description="Jaeger's query gRPC port, where searches by pod run (its HTTP API ignores attribute filters). Empty: the URL's host on port 16685."
          >
            <Input
              id="jaeger-grpc-url"
              data-testid={testIds.configEditor.jaegerGrpcUrl}
              width={40}
              value={options.jsonData.jaeger?.grpcUrl ?? ''}
              placeholder="http://jaeger:16685"
              onChange={(e) =>
                onOptionsChange(setUpstream(options, 'jaeger', { grpcUrl: e.currentTarget.value || undefined }))
              }
            />
          </Field>
        </UpstreamSection>
      )}
    </>
  );
}

// Thin renderers of a drop case's parts: headline, explained spans, both policy directions, fix, attempts.
import React from 'react';
import { dateTime } from '@grafana/data';
import { Badge, ClipboardButton, LinkButton, Stack, Text } from '@grafana/ui';
import type { DirectionVerdict, PolicyRuleCheck, PolicySuggestion } from '../../../model/events';
import { testIds } from '../../components/testIds';
import { exploreUrl, flowsUrl, investigateUrl, type TimeWindow } from '../shared/appUrls';
import { unmatchedLabels, workloadName, type DropCase, type ExplainedSpan } from './dropCase';

const clock = (ms: number) => dateTime(ms).format('YYYY-MM-DD HH:mm:ss.SSS');

export function CaseHeadline({ headline, dropCase, time }: { headline: string; dropCase: DropCase; time: TimeWindow }) {
  const { source } = dropCase;
  return (
    <Stack direction="column" gap={1}>
      <div data-testid={testIds.dropCase.headline}>
        <Text element="h2">{headline}</Text>
      </div>
      <Text color="secondary">
        {clock(dropCase.timeMs)} · {dropCase.reason} · drop {dropCase.id}
      </Text>
      {source.pod && (
        <div>
          <LinkButton size="sm" variant="secondary" icon="exchange-alt" href={flowsUrl(source, time)}>
            Flows of {source.pod}
          </LinkButton>
        </div>
      )}
    </Stack>
  );
}

// The trace store's own link (Tempo or Jaeger) for one trace id, as Explore opens it.
function traceStoreHref(
  dropCase: DropCase,
  traceId: string,
  time: TimeWindow
): { href: string; name: string } | undefined {
  const link = dropCase.traceLinks[0]?.internal;
  if (!link) {
    return undefined;
  }
  const query = JSON.parse(JSON.stringify(link.query).split('${__value.raw}').join(traceId)) as Record<string, unknown>;
  return { href: exploreUrl(link.datasourceUid, query, time), name: link.datasourceName ?? 'the trace store' };
}

function SpanRow({ span, dropCase, time }: { span: ExplainedSpan; dropCase: DropCase; time: TimeWindow }) {
  const store = traceStoreHref(dropCase, span.traceId, time);
  return (
    <div data-testid={testIds.dropCase.span}>
      <Stack direction="column" gap={0.5}>
        <Text weight="medium">
          {span.service ?? 'a service'} · {span.span ?? 'span'}
          {span.statusMessage ? ` · ${span.statusMessage}` : ''} · confidence {Math.round(span.confidence * 100)}%
        </Text>
        <Text color="secondary">{span.why}</Text>
        <Stack direction="row" gap={1}>
          {store && (
            <LinkButton size="sm" variant="secondary" icon="compass" href={store.href}>
              Open trace in {store.name}
            </LinkButton>
          )}
          <LinkButton
            size="sm"
            variant="secondary"
            icon="gf-traces"
            href={investigateUrl({ traceId: span.traceId }, time)}
          >
            Investigate trace {span.traceId.slice(0, 8)}…
          </LinkButton>
        </Stack>
      </Stack>
    </div>
  );
}

export function ExplainedSpans({ dropCase, time }: { dropCase: DropCase; time: TimeWindow }) {
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">Failed spans this drop explains</Text>
      {dropCase.spans.length === 0 ? (
        <Text color="secondary">No client span matched this drop (or no trace store is configured).</Text>
      ) : (
        dropCase.spans.map((span) => (
          <SpanRow key={`${span.traceId}/${span.spanId}`} span={span} dropCase={dropCase} time={time} />
        ))
      )}
    </Stack>
  );
}

// The reason with the peer's labels no rule matched marked.
function Reason({ verdict }: { verdict: DirectionVerdict }) {
  const marked = verdict.allowed === false ? unmatchedLabels(verdict) : [];
  if (marked.length === 0) {
    return <Text>{verdict.reason}</Text>;
  }
  const pattern = new RegExp(`(${marked.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);
  return (
    <Text>
      {verdict.reason.split(pattern).map((part, i) =>
        marked.includes(part) ? (
          <mark
            key={i}
            data-testid={testIds.dropCase.unmatchedLabel}
            title="no rule of these policies matches this label"
          >
            {part}
          </mark>
        ) : (
          <React.Fragment key={i}>{part}</React.Fragment>
        )
      )}
    </Text>
  );
}

function Direction({ title, verdict }: { title: string; verdict: DirectionVerdict }) {
  const badge =
    verdict.allowed === null ? (
      <Badge color="blue" text="not applicable" />
    ) : verdict.allowed ? (
      <Badge color="green" text="allowed" />
    ) : (
      <Badge color="red" text="denied" />
    );
  return (
    <div data-testid={testIds.dropCase.direction}>
      <Stack direction="column" gap={0.5}>
        <Stack direction="row" gap={1} alignItems="center">
          <Text weight="medium">{title}</Text>
          {badge}
        </Stack>
        <Text color="secondary">
          {verdict.policies.length === 0
            ? 'No NetworkPolicy selects this pod in this direction.'
            : `Selected by: ${verdict.policies.join(', ')}`}
        </Text>
        <Reason verdict={verdict} />
        {verdict.rules && verdict.rules.length > 0 && <RuleChecks rules={verdict.rules} />}
      </Stack>
    </div>
  );
}

// Each rule of the selecting policies; the peer or port that did not match this connection is marked.
function RuleChecks({ rules }: { rules: PolicyRuleCheck[] }) {
  const cell = (text: string, matches: boolean) =>
    matches ? (
      <td>{text}</td>
    ) : (
      <td>
        <mark data-testid={testIds.dropCase.unmatchedRulePart}>{text}</mark>
      </td>
    );
  return (
    <table>
      <thead>
        <tr>
          <th>Policy</th>
          <th>Rule</th>
          <th>Peers</th>
          <th>Ports</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={`${r.policy}#${r.rule}`} data-testid={testIds.dropCase.rule}>
            <td>{r.policy}</td>
            <td>{r.rule === 0 ? 'none: admits nothing' : r.rule}</td>
            {cell(r.peers, r.peerMatches)}
            {cell(r.ports, r.portMatches)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PolicyDirections({ dropCase }: { dropCase: DropCase }) {
  const e = dropCase.explanation;
  if (!e) {
    return (
      <Text color="secondary">
        {dropCase.explanationText || 'No policy explanation: the agent had no cluster view.'}
      </Text>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">NetworkPolicy, both directions</Text>
      <Direction title={`Egress of ${workloadName(dropCase.source)}`} verdict={e.egress} />
      <Direction title={`Ingress of ${workloadName(dropCase.destination)}`} verdict={e.ingress} />
    </Stack>
  );
}

export function FixSuggestions({ suggestions }: { suggestions: PolicySuggestion[] }) {
  if (suggestions.length === 0) {
    return null;
  }
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">Suggested fix</Text>
      {suggestions.map((s) => (
        <div key={s.policy} data-testid={testIds.dropCase.fix}>
          <Stack direction="column" gap={0.5}>
            <Stack direction="row" gap={1} alignItems="center">
              <Text>{s.description}</Text>
              <ClipboardButton size="sm" icon="copy" variant="secondary" getText={() => s.yaml}>
                Copy YAML
              </ClipboardButton>
            </Stack>
            <pre data-testid={testIds.dropCase.fixYaml}>{s.yaml}</pre>
          </Stack>
        </div>
      ))}
    </Stack>
  );
}

export function AttemptsTimeline({ dropCase }: { dropCase: DropCase }) {
  const { timeMs, endTimeMs, attempts } = dropCase;
  return (
    <div data-testid={testIds.dropCase.attempts}>
      <Stack direction="column" gap={0.5}>
        <Text element="h4">Attempts</Text>
        <Text>
          first at {clock(timeMs)}
          {endTimeMs !== undefined && endTimeMs !== timeMs
            ? `, last at ${clock(endTimeMs)} (${((endTimeMs - timeMs) / 1000).toFixed(1)} s later)`
            : ''}
          {attempts !== undefined ? ` · ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''}
        </Text>
        {dropCase.attemptTimesMs.length > 0 && (
          <ol>
            {dropCase.attemptTimesMs.map((ms, i) => (
              <li key={i} data-testid={testIds.dropCase.attempt}>
                {clock(ms)}
                {i > 0 ? ` (+${((ms - dropCase.attemptTimesMs[0]) / 1000).toFixed(1)} s)` : ' (first SYN)'}
              </li>
            ))}
          </ol>
        )}
      </Stack>
    </div>
  );
}

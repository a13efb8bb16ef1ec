import React from 'react';
import { QueryEditorHelpProps } from '@grafana/data';
import { Button, Stack, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { QUERY_EXAMPLES } from '../query/examples';
import { WiretraceQuery } from '../types';

// The cheat sheet next to the query editor; a click loads the example into the query row.
export function QueryEditorHelp({ onClickExample }: QueryEditorHelpProps<WiretraceQuery>) {
  return (
    <div data-testid={testIds.queryEditor.help}>
      <Stack direction="column" gap={1}>
        <Text element="h4">Wiretrace cheat sheet</Text>
        {QUERY_EXAMPLES.map((example) => (
          <Stack key={example.title} direction="row" alignItems="center" gap={1}>
            <Button
              size="sm"
              variant="secondary"
              onClick={() => onClickExample({ refId: 'A', ...example.query } as WiretraceQuery)}
            >
              Use
            </Button>
            <Stack direction="column" gap={0}>
              <Text weight="medium">{example.title}</Text>
              <Text color="secondary" variant="bodySmall">
                {example.explanation}
              </Text>
            </Stack>
          </Stack>
        ))}
        <Text color="secondary" variant="bodySmall">
          Variable queries: namespaces, pods?namespace=$namespace, services?namespace=$namespace, policies.
        </Text>
      </Stack>
    </div>
  );
}

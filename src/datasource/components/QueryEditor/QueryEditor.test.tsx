import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import type { DataSource } from '../../datasource';
import type { WiretraceQuery } from '../../types';
import { QueryEditor } from './QueryEditor';
import { provideJsdomLayout } from '../../../test/jsdomLayout';
import { setupUser } from '../../../test/user';

beforeAll(provideJsdomLayout);

// A datasource whose resource routes answer from a fixed inventory; everything else is the real editor.
function fakeDatasource(fail?: string) {
  const inventory: Record<string, unknown> = {
    namespaces: ['shop', 'payments'],
    'pods?namespace=shop': [{ name: 'checkout-7d9f', namespace: 'shop' }],
    pods: [
      { name: 'checkout-7d9f', namespace: 'shop' },
      { name: 'payments-5c4b', namespace: 'payments' },
    ],
    services: { items: [{ name: 'checkout' }] },
    'services?namespace=shop': { items: [{ name: 'checkout' }] },
    policies: { policies: [{ name: 'deny-egress-payments' }] },
  };
  const listResource = jest.fn(async (resource: string, namespace?: string) => {
    if (fail === resource) {
      throw { data: { message: 'agent unreachable' } };
    }
    const { parseResourceOptions, resourcePath } = await import('../../resources/resourceOptions');
    return parseResourceOptions(inventory[resourcePath(resource as 'pods', namespace)] ?? [], resource as 'pods');
  });
  return { ds: { listResource } as unknown as DataSource, listResource };
}

function setup(query: Partial<WiretraceQuery>, fail?: string) {
  const { ds, listResource } = fakeDatasource(fail);
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const utils = render(
    <QueryEditor
      datasource={ds}
      query={{ refId: 'A', ...query } as WiretraceQuery}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { ...utils, user: setupUser(), onChange, onRunQuery, listResource };
}

describe('QueryEditor', () => {
  it('shows the drops filters by default and loads namespaces from the resource route', async () => {
    const { user, listResource } = setup({});
    expect(screen.getByTestId(testIds.queryEditor.policy)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.queryEditor.kinds)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(testIds.queryEditor.namespace));
    expect(await screen.findByRole('option', { name: 'payments' })).toBeInTheDocument();
    expect(listResource).toHaveBeenCalledWith('namespaces', undefined);
  });

  it('switching to traceNetwork shows the trace id and drops filters that type does not read', async () => {
    const { user, onChange, onRunQuery } = setup({ queryType: 'drops', policy: 'deny-all', namespace: 'shop' });
    await user.click(screen.getByTestId(testIds.queryEditor.queryType));
    await user.click(await screen.findByRole('option', { name: /Trace network/ }));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'traceNetwork' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('commits a trace id on blur and flags one that is not hex', async () => {
    const { user, onChange } = setup({ queryType: 'traceNetwork' });
    const input = screen.getByTestId(testIds.queryEditor.traceId);
    await user.type(input, 'not-a-trace');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'traceNetwork', traceId: 'not-a-trace' });
  });

  it('flags a trace id that is not hex but accepts a variable', () => {
    const { rerender, onChange, onRunQuery } = setup({ queryType: 'traceNetwork', traceId: 'not-a-trace' });
    expect(screen.getByText('A trace id is 1 to 32 hex digits')).toBeInTheDocument();
    const ds = { listResource: jest.fn() } as unknown as DataSource;
    rerender(
      <QueryEditor
        datasource={ds}
        query={{ refId: 'A', queryType: 'traceNetwork', traceId: '$traceId' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    expect(screen.queryByText('A trace id is 1 to 32 hex digits')).not.toBeInTheDocument();
  });

  it('selecting a pod scopes the pod options to the chosen namespace', async () => {
    const { user, onChange, listResource } = setup({ queryType: 'flows', namespace: 'shop' });
    await waitFor(() => expect(listResource).toHaveBeenCalledWith('pods', 'shop'));
    await user.click(screen.getByTestId(testIds.queryEditor.pod));
    await user.click(await screen.findByRole('option', { name: /checkout-7d9f/ }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ pod: 'checkout-7d9f', namespace: 'shop' }));
  });

  it('shows why options could not be loaded', async () => {
    setup({ queryType: 'drops' }, 'policies');
    expect(await screen.findByText('Could not load policies: agent unreachable')).toBeInTheDocument();
  });

  it('offers the series grouping only for drops as time series', async () => {
    const { user, onChange } = setup({ queryType: 'drops' });
    expect(screen.queryByText('by policy')).not.toBeInTheDocument();
    await user.click(screen.getByTestId(testIds.queryEditor.asTimeSeries));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ asTimeSeries: true }));
  });

  it('groups drop series by policy when asked', async () => {
    const { user, onChange } = setup({ queryType: 'drops', asTimeSeries: true });
    await user.click(screen.getByLabelText('by policy'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ asTimeSeries: true, groupBy: 'policy' }));
  });
});

import { parseResourceOptions, resourcePath } from './resourceOptions';
import { parseVariableQuery, VariableQueryError } from './variableQuery';

describe('parseResourceOptions', () => {
  it('reads plain string lists, sorted and without duplicates or blanks', () => {
    expect(parseResourceOptions(['shop', '', 'payments', 'shop'], 'namespaces').map((o) => o.value)).toEqual(['payments', 'shop']);
  });

  it('reads named objects and wrapped lists and keeps the namespace as description', () => {
    const options = parseResourceOptions({ pods: [{ name: 'checkout-1', namespace: 'shop' }, { value: 'x', text: 'X' }, 42] }, 'pods');
    expect(options).toEqual([
      { label: 'checkout-1', value: 'checkout-1', description: 'namespace shop' },
      { label: 'X', value: 'x', description: undefined },
    ]);
    expect(parseResourceOptions({ items: ['a'] }, 'services').map((o) => o.value)).toEqual(['a']);
  });

  it('answers an unexpected body with no options instead of throwing', () => {
    expect(parseResourceOptions(null, 'policies')).toEqual([]);
    expect(parseResourceOptions('oops', 'policies')).toEqual([]);
    expect(parseResourceOptions({ error: 'x' }, 'policies')).toEqual([]);
  });

  it('scopes namespaced routes only', () => {
    expect(resourcePath('pods', 'a b')).toBe('pods?namespace=a%20b');
    expect(resourcePath('namespaces', 'shop')).toBe('namespaces');
    expect(resourcePath('services')).toBe('services');
  });
});

describe('parseVariableQuery', () => {
  it('parses a resource with an optional namespace scope', () => {
    expect(parseVariableQuery(' namespaces ')).toEqual({ resource: 'namespaces' });
    expect(parseVariableQuery('pods?namespace=shop')).toEqual({ resource: 'pods', namespace: 'shop' });
  });

  it('treats an All selection as no scope', () => {
    expect(parseVariableQuery('pods?namespace=$__all')).toEqual({ resource: 'pods' });
    expect(parseVariableQuery('services?namespace=*')).toEqual({ resource: 'services' });
  });

  it('names the problem in a bad query', () => {
    expect(() => parseVariableQuery('deployments')).toThrow(VariableQueryError);
    expect(() => parseVariableQuery('deployments')).toThrow(/Unknown Wiretrace variable query "deployments": expected one of namespaces, pods/);
  });
});

import { nflogConfigFrom } from './nflogConfig';

describe('nflog config', () => {
  it('reads the group and prefix pattern', () => {
    expect(nflogConfigFrom({ group: 5, prefixPattern: '^np:(?<policy>\\S+)' }, 'node-a')).toEqual({
      group: 5,
      prefixPattern: '^np:(?<policy>\\S+)',
      node: 'node-a',
    });
  });

  it('names what is wrong', () => {
    expect(() => nflogConfigFrom({}, 'n')).toThrow('nflog.group is required');
    expect(() => nflogConfigFrom({ group: 1, prefixPattern: 3 }, 'n')).toThrow(
      'nflog.prefixPattern must be a regular expression string'
    );
    expect(() => nflogConfigFrom({ group: 1, prefixPattern: '^x(.*)' }, 'n')).toThrow(
      'needs a named group (?<policy>...)'
    );
  });
});

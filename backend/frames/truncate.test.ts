import { truncateFrame } from './truncate';
import type { Frame } from './frame';

describe('truncateFrame', () => {
  const frame: Frame = { name: 'f', fields: [{ name: 'v', type: 'number', values: [1, 2, 3, 4] }] };

  it('keeps a frame within the limit as is', () => {
    expect(truncateFrame(frame, 4)).toBe(frame);
  });

  it('cuts every field and adds a warning notice with the total', () => {
    const cut = truncateFrame(frame, 2);
    expect(cut.fields[0].values).toEqual([1, 2]);
    expect(cut.meta?.notices?.[0]).toMatchObject({ severity: 'warning' });
    expect(cut.meta?.notices?.[0].text).toContain('first 2 of 4 rows');
    expect(frame.fields[0].values).toHaveLength(4);
  });
});

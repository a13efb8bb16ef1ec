import fc from 'fast-check';
import { sortedOrder } from './podOverlap';

describe('sortedOrder', () => {
  const reference = (values: number[]) =>
    values
      .map((v, k) => [v, k])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map((p) => p[1]);

  it('orders by start, ties in input order, on both the packed and the comparator path', () => {
    const starts = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }),
      // Fractions and a range too wide to pack take the comparator path.
      fc.array(fc.double({ min: -1e15, max: 1e15, noNaN: true }), { maxLength: 200 })
    );
    fc.assert(
      fc.property(starts, (values) => {
        expect([...sortedOrder(Float64Array.from(values), values.length)]).toEqual(reference(values));
      })
    );
  });
});

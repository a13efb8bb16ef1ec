// userEvent for component tests: no delay between keystrokes (nothing waits on the clock), and every action a
// test starts is awaited before the next test begins, so a test that timed out cannot type into its successor.
import userEvent from '@testing-library/user-event';

type User = ReturnType<typeof userEvent.setup>;

const unfinished = new Set<Promise<unknown>>();

export function setupUser(): User {
  const user = userEvent.setup({ delay: null });
  return new Proxy(user, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        if (result instanceof Promise) {
          unfinished.add(result);
          result.then(
            () => unfinished.delete(result),
            () => unfinished.delete(result)
          );
        }
        return result;
      };
    },
  });
}

// Called after each test (jest-setup.js), before the rendered tree is unmounted.
export async function settleUserActions(): Promise<void> {
  while (unfinished.size > 0) {
    await Promise.allSettled([...unfinished]);
  }
}

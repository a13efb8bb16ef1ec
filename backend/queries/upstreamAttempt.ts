// Runs one upstream call so that its failure becomes a warning notice instead of failing the whole query.
// Only named failures (QueryError: an upstream's error, a missing setting) become partial results; anything else
// is a bug in our own code, parsing what came back included, and fails the query as a plugin error (500).
import { QueryError, type QueryContext } from '../datasource/types';

export type Attempt<T> = { ok: true; value: T } | { ok: false; message: string };

export async function attempt<T>(ctx: QueryContext, what: string, call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (ctx.signal.aborted || !(err instanceof QueryError)) {
      throw err;
    }
    ctx.logger.warn(`${what} failed, answering with partial results`, { error: err.message });
    ctx.notices.push({ severity: 'warning', text: `Partial results: ${what} failed (${err.message})` });
    return { ok: false, message: err.message };
  }
}

// Nothing could be answered: the failure belongs to the upstreams, which the message names.
export function nothingAnswered(what: string, failures: string[]): QueryError {
  return new QueryError(502, `${what}: ${failures.join('; ')}`, 'downstream');
}

// Runs one upstream call so that its failure becomes a warning notice instead of failing the whole query.
import { QueryError, type QueryContext } from '../datasource/types';

export type Attempt<T> = { ok: true; value: T } | { ok: false; message: string };

export async function attempt<T>(ctx: QueryContext, what: string, call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (ctx.signal.aborted) {
      throw err;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.warn(`${what} failed, answering with partial results`, { error: message });
    ctx.notices.push({ severity: 'warning', text: `Partial results: ${what} failed (${message})` });
    return { ok: false, message };
  }
}

// Nothing could be answered: the failure belongs to the upstreams, which the message names.
export function nothingAnswered(what: string, failures: string[]): QueryError {
  return new QueryError(502, `${what}: ${failures.join('; ')}`, 'downstream');
}

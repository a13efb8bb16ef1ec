// Query handlers by queryType; a type without an entry answers 501.
import type { QueryHandlers } from '../datasource/types';
import { dropsQuery } from './drops';
import { flowsQuery } from './flows';

export const queryHandlers: QueryHandlers = {
  drops: dropsQuery,
  flows: flowsQuery,
};

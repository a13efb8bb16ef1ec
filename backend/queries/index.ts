// Query handlers by queryType; a type without an entry answers 501.
import type { QueryHandlers } from '../datasource/types';
import { flowsQuery } from './flows';

export const queryHandlers: QueryHandlers = {
  flows: flowsQuery,
};

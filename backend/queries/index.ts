// Query handlers by queryType; a type without an entry answers 501.
import type { QueryHandlers } from '../datasource/types';

export const queryHandlers: QueryHandlers = {};

// The application parsers the pipeline hands to its trackers (DNS, HTTP/1 heads, TLS ClientHello).
import type { AppParsers } from './track/appParsers';

export function defaultAppParsers(): AppParsers {
  return {};
}

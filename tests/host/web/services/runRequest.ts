// Grafana's runRequest for the host: Loading first, then the datasource's answer as PanelData with Grafana's
// states (Done, Error with the errors listed, Streaming passed through) and the request's time range.
import { Observable, catchError, from, isObservable, map, of, startWith } from 'rxjs';
import {
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  LoadingState,
  PanelData,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';

export function runRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: typeof datasource.query
): Observable<PanelData> {
  const base = { timeRange: request.range, request };
  const answer = (queryFunction ?? datasource.query).call(datasource, request);
  const responses: Observable<DataQueryResponse> = isObservable(answer) ? answer : from(answer as Promise<DataQueryResponse>);
  return responses.pipe(
    map((response): PanelData => {
      const errors: DataQueryError[] | undefined = response.errors ?? (response.error ? [response.error] : undefined);
      const state = errors?.length ? LoadingState.Error : (response.state ?? LoadingState.Done);
      return { ...base, series: response.data ?? [], state, errors, error: errors?.[0] };
    }),
    catchError((err: unknown) => {
      const error = toDataQueryError(err as DataQueryError);
      return of<PanelData>({ ...base, series: [], state: LoadingState.Error, error, errors: [error] });
    }),
    startWith<PanelData>({ ...base, series: [], state: LoadingState.Loading })
  );
}

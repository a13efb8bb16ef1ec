import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { WiretraceJsonData, WiretraceQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, WiretraceQuery, WiretraceJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

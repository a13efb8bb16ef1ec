import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor/ConfigEditor';
import { QueryEditor } from './components/QueryEditor/QueryEditor';
import { QueryEditorHelp } from './components/QueryEditorHelp';
import { WiretraceJsonData, WiretraceQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, WiretraceQuery, WiretraceJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor)
  .setQueryEditorHelp(QueryEditorHelp);

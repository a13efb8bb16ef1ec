import { EmbeddedScene, PanelBuilders, SceneFlexItem, SceneFlexLayout, SceneQueryRunner, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';
import { wiretraceDatasourceRef } from '../../datasource/ref';

export function flowsScene() {
  const queryRunner = new SceneQueryRunner({
    datasource: wiretraceDatasourceRef(),
    queries: [{ refId: 'A', queryType: 'flows' }],
  });
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [new SceneTimePicker({})],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ minHeight: 400, body: PanelBuilders.table().setTitle('Flows').setData(queryRunner).build() })],
    }),
  });
}

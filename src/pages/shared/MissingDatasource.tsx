import React from 'react';
import { EmbeddedScene, SceneReactObject } from '@grafana/scenes';
import { Alert, LinkButton } from '@grafana/ui';
import { testIds } from '../../components/testIds';

function MissingDatasourceNotice() {
  return (
    <div data-testid={testIds.pages.noDatasource}>
      <Alert severity="warning" title="No Wiretrace datasource">
        The app reads everything through a Wiretrace datasource. Add one (or provision the one with uid “wiretrace”), point it at
        Tempo, Loki and the capture agents, and come back.
        <div>
          <LinkButton href="/connections/datasources/new" variant="primary" size="sm" icon="plus">
            Add a datasource
          </LinkButton>
        </div>
      </Alert>
    </div>
  );
}

export function missingDatasourceScene(): EmbeddedScene {
  return new EmbeddedScene({ body: new SceneReactObject({ component: MissingDatasourceNotice }) });
}

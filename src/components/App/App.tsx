import React from 'react';
import { SceneApp, useSceneApp } from '@grafana/scenes';
import { AppRootProps } from '@grafana/data';
import { PluginPropsContext } from '../../utils/utils.plugin';
import { appRootPage, overviewPage } from '../../pages/Overview/overviewPage';
import { investigatePage } from '../../pages/Investigate/investigatePage';
import { topologyPage } from '../../pages/Topology/topologyPage';
import { flowsPage } from '../../pages/Flows/flowsPage';

function getSceneApp() {
  return new SceneApp({
    pages: [overviewPage, investigatePage, topologyPage, flowsPage, appRootPage],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

function AppWithScenes() {
  const scene = useSceneApp(getSceneApp);
  return <scene.Component model={scene} />;
}

function App(props: AppRootProps) {
  return (
    <PluginPropsContext.Provider value={props}>
      <AppWithScenes />
    </PluginPropsContext.Provider>
  );
}

export default App;

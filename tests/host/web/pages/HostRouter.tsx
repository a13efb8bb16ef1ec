// The router on locationService's history, as Grafana 12 mounts it, and the host's routes.
import React, { useLayoutEffect, useState } from 'react';
import { Navigate, Route, Router, Routes } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import { AppRootPage } from './AppRootPage';
import { DashboardPage } from './DashboardPage';
import { DatasourceConfigPage, NewDatasourcePage } from './DatasourceConfigPage';
import { ExplorePage } from './ExplorePage';
import { NotFoundPage } from './NotFoundPage';

export function HostRouter({ defaultPath }: { defaultPath: string }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router navigator={history} location={location}>
      <Routes>
        <Route path="/a/:pluginId/*" element={<AppRootPage />} />
        <Route path="/explore" element={<ExplorePage />} />
        <Route path="/d/:uid/*" element={<DashboardPage />} />
        <Route path="/connections/datasources/edit/:uid" element={<DatasourceConfigPage />} />
        <Route path="/connections/datasources/new" element={<NewDatasourcePage />} />
        <Route path="/" element={<Navigate to={defaultPath} replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Router>
  );
}

// The host's top bar: it says what this page is (not Grafana) and links the app's pages, dashboard and settings.
import React from 'react';
import { config, locationService } from '@grafana/runtime';

function go(event: React.MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  locationService.push(event.currentTarget.getAttribute('href')!);
}

export function HostNav({ appId }: { appId: string }) {
  const app = `/a/${appId}`;
  const datasource = Object.values(config.datasources).find((d) => !d.meta.module.startsWith('core:'));
  const links: Array<[string, string]> = [
    ['Overview', `${app}/overview`],
    ['Investigate', `${app}/investigate`],
    ['Topology', `${app}/topology`],
    ['Flows', `${app}/flows`],
    ['Dashboard', '/d/wiretrace-network-traces'],
  ];
  if (datasource) {
    links.push(['Datasource settings', `/connections/datasources/edit/${datasource.uid}`]);
  }
  return (
    <nav
      data-testid="host-nav"
      style={{ display: 'flex', gap: 16, alignItems: 'center', padding: '8px 16px', borderBottom: '1px solid rgba(204,204,220,0.15)', fontSize: 13 }}
    >
      <b>Wiretrace test host</b>
      <span style={{ opacity: 0.6 }}>Grafana {config.buildInfo.version} frontend libraries · not a Grafana server</span>
      {links.map(([title, href]) => (
        <a key={href} href={href} onClick={go}>
          {title}
        </a>
      ))}
    </nav>
  );
}

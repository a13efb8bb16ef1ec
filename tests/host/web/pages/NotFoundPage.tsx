// A path the host (and so Grafana) has no page for: said plainly, so a broken link fails its test.
import React from 'react';
import { useLocation } from 'react-router-dom';
import { Alert } from '@grafana/ui';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <Alert severity="error" title="Page not found" data-testid="host-not-found">
      No page at {location.pathname}
    </Alert>
  );
}

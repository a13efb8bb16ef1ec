// The log stream the agents push their durable events to and the datasource reads them back from; application
// log queries leave it out.

// The service_name label (Loki) and field (VictoriaLogs) of every durable event entry.
export const AGENT_EVENTS_SERVICE_NAME = 'wiretrace-agent';

// The default LogQL selector of the events stream (jsonData.eventsStreamSelector overrides it).
export const AGENT_EVENTS_SELECTOR = `{service_name="${AGENT_EVENTS_SERVICE_NAME}"}`;

// Every application stream, but not the agents' own durable events.
export const APP_STREAMS_SELECTOR = `{service_name=~".+", service_name!="${AGENT_EVENTS_SERVICE_NAME}"}`;

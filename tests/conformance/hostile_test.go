package conformance

// Hostile and careless input through the built executable: each probe gets a clear 4xx naming the problem,
// within a time bound, and the plugin's memory stays under a bound.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// No probe may take the plugin anywhere near this; Grafana would restart a plugin this large.
const hostileRSSLimit = 768 << 20

type queryProbe struct {
	name    string
	queries []pluginhost.Query
	refID   string
	status  backend.Status
	want    string
}

func hostileQueryProbes() []queryProbe {
	flows := func(extra string) []pluginhost.Query { return []pluginhost.Query{flowsQuery("A", extra)} }
	inverted := flowsQuery("A", "")
	inverted.FromMS, inverted.ToMS = inverted.ToMS, inverted.FromMS
	duplicates := make([]pluginhost.Query, 1000)
	for i := range duplicates {
		duplicates[i] = flowsQuery("A", "")
	}
	hugeType := flowsQuery("A", "")
	hugeType.QueryType = strings.Repeat("q", 50<<20)
	hugeJSON := flowsQuery("A", `,"editorNotes":"`+strings.Repeat("n", 9<<20)+`"`)
	deep := flowsQuery("A", "")
	deep.JSON = []byte(strings.Repeat("[", 1<<20))
	return []queryProbe{
		{"limit 1e12", flows(`,"limit":1e12`), "A", 400, "query field limit must be an integer between 1 and"},
		{"traceId zz", flows(`,"traceId":"zz"`), "A", 400, `query field traceId must be 1 to 32 hex digits`},
		{"unknown kinds", flows(`,"kinds":["drop","packet"]`), "A", 400, `query field kinds has unknown kind "packet"`},
		{"negative slack", flows(`,"slackMs":-5`), "A", 400, "query field slackMs must be a number between 0"},
		{"inverted time range", []pluginhost.Query{inverted}, "A", 400, "time range is inverted"},
		{"1000 queries sharing refId A", duplicates, "A", 400, `refId "A" is used by 1000 queries`},
		{"50 MB queryType", []pluginhost.Query{hugeType}, "A", 400, `unknown queryType "qqqq`},
		{"9 MB query JSON", []pluginhost.Query{hugeJSON}, "A", 400, "query JSON is 9437"},
		{"300-character pod", flows(`,"pod":"` + strings.Repeat("p", 300) + `"`), "A", 400, "query field pod is 300 characters"},
		{"a million open brackets", []pluginhost.Query{deep}, "A", 400, "query JSON is malformed"},
	}
}

func TestHostileQueriesAreFieldNamedBadRequests(t *testing.T) {
	p := startOwnPlugin(t)
	// A live agent: a validation gap would show as its answer or an agent error, not as the 400 wanted.
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	for _, probe := range hostileQueryProbes() {
		t.Run(probe.name, func(t *testing.T) {
			_, res, err := p.QueryData(probeCtx(t), settings, probe.queries)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Responses) != 1 {
				t.Errorf("%d responses, want 1", len(res.Responses))
			}
			dr := res.Responses[probe.refID]
			expectError(t, dr, probe.status, backend.ErrorSourcePlugin, probe.want)
			if dr.Error != nil && len(dr.Error.Error()) > 1024 {
				t.Errorf("the error echoes %d characters of input", len(dr.Error.Error()))
			}
			if rss := p.rssBytes(t); rss > hostileRSSLimit {
				t.Errorf("plugin RSS %d MB after the probe", rss>>20)
			}
		})
	}
	if p.Exited() {
		t.Fatal("the plugin exited during the probes")
	}
}

func TestHostileResourceCallsAreClearClientErrors(t *testing.T) {
	p := startOwnPlugin(t)
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	refusing := newAgent(t, "the-right-token", nil)
	wrongToken := settingsJSON(t, map[string]any{"agentUrls": []string{refusing.URL}}, map[string]string{"agentToken": "a-wrong-token"})
	get := func(path string) resourceCall { return resourceCall{method: "GET", path: path, url: "/" + path} }
	probes := []struct {
		name     string
		settings pluginhost.Settings
		call     resourceCall
		status   int
		want     string
	}{
		{"constructor", settings, get("constructor"), 404, `unknown resource \"constructor\"`},
		{"__proto__", settings, get("__proto__"), 404, `unknown resource \"__proto__\"`},
		{"toString", settings, get("toString"), 404, `unknown resource \"toString\"`},
		{"double slash", settings, resourceCall{method: "GET", path: "//", url: "//"}, 404, "no resource named in the path"},
		{"double slash URL only", settings, resourceCall{method: "GET", url: "//?namespace=x"}, 404, "no resource named in the path"},
		{"2000-character route", settings, get(strings.Repeat("r", 2000)), 404, "(2000 characters)"},
		// Path and URL both carry it: 50 MB in one message, under gRPC's 64 MiB limit.
		{"25 MB route", settings, get(strings.Repeat("r", 25<<20)), 414, "resource URL is 26214401 characters"},
		{"1 MB namespace filter", settings, resourceCall{method: "GET", path: "pods", url: "/pods?namespace=" + strings.Repeat("n", 1<<20)}, 414, "resource URL is 1048592 characters"},
		{"1 MB body", settings, resourceCall{method: "POST", path: "pods", url: "/pods", body: make([]byte, 1<<20)}, 413, "resource request body is 1048576 bytes"},
		{"agent refuses the token", wrongToken, get("pods"), 403, "capture agents rejected the agent token (secureJsonData.agentToken"},
	}
	for _, probe := range probes {
		t.Run(probe.name, func(t *testing.T) {
			code, body, err := callResource(probeCtx(t), p.Plugin, probe.settings, probe.call)
			if err != nil {
				t.Fatal(err)
			}
			var answer struct {
				Error string `json:"error"`
			}
			if code != probe.status || json.Unmarshal(body, &answer) != nil || !strings.Contains(string(body), probe.want) {
				t.Errorf("%d %.300s, want %d containing %q", code, body, probe.status, probe.want)
			}
			if len(body) > 1024 {
				t.Errorf("the answer echoes %d bytes", len(body))
			}
			if rss := p.rssBytes(t); rss > hostileRSSLimit {
				t.Errorf("plugin RSS %d MB after the probe", rss>>20)
			}
		})
	}
}

func TestRefIDsNamingPrototypeMembersAreAnswered(t *testing.T) {
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	refIDs := []string{"__proto__", "constructor", "toString", "hasOwnProperty"}
	queries := make([]pluginhost.Query, len(refIDs))
	for i, refID := range refIDs {
		queries[i] = flowsQuery(refID, "")
	}
	_, res, err := plugin.QueryData(probeCtx(t), settings, queries)
	if err != nil {
		t.Fatal(err)
	}
	for _, refID := range refIDs {
		if dr, ok := res.Responses[refID]; !ok || dr.Status != 200 || len(dr.Frames) != 1 {
			t.Errorf("refId %s: answered %v, status %d, error %v", refID, ok, dr.Status, dr.Error)
		}
	}
}

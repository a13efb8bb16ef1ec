package conformance

import (
	"fmt"
	"testing"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// Every query type the editor offers must answer on its own, and whatever frames it returns must be
// readable by the SDK's Arrow reader (QueryData fails when data.UnmarshalArrowFrames rejects a frame).
func TestEveryQueryTypeAnswersWithReadableFrames(t *testing.T) {
	agent := newAgent(t, "", sampleEvents())
	settings := settingsJSON(t, map[string]any{"agentUrls": []string{agent.URL}}, nil)
	types := []string{"drops", "traceNetwork", "topology", "flows", "tcpHealth", "dns", "logs"}
	var queries []pluginhost.Query
	for _, qt := range types {
		q := flowsQuery(qt, "")
		q.QueryType = qt
		q.JSON = []byte(fmt.Sprintf(`{"queryType":%q,"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}`, qt))
		queries = append(queries, q)
	}
	_, res, err := plugin.QueryData(queryCtx(t), settings, queries)
	if err != nil {
		t.Fatalf("QueryData (frames must decode with the SDK reader): %v", err)
	}
	for _, qt := range types {
		dr, ok := res.Responses[qt]
		if !ok {
			t.Errorf("%s: no response", qt)
			continue
		}
		if dr.Status >= 500 && dr.Status != 501 && dr.Status != 502 && dr.Status != 504 {
			t.Errorf("%s: status %d (%v): a plugin failure", qt, dr.Status, dr.Error)
		}
		if dr.Status == 200 && dr.Error != nil {
			t.Errorf("%s: status 200 with error %v", qt, dr.Error)
		}
		if dr.Status != 200 && dr.Error == nil {
			t.Errorf("%s: status %d without an error message", qt, dr.Status)
		}
		for _, f := range dr.Frames {
			if _, err := f.RowLen(); err != nil {
				t.Errorf("%s: frame %q: %v", qt, f.Name, err)
			}
			if f.RefID != qt {
				t.Errorf("%s: frame %q has refId %q", qt, f.Name, f.RefID)
			}
		}
		t.Logf("%s: status %d, %d frames, error %v", qt, dr.Status, len(dr.Frames), dr.Error)
	}
}

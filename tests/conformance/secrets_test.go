package conformance

// Tries to leak the datasource's secrets: upstreams echo every request header in every encoding, with every
// auth mode the settings offer, and no secret (or any encoding or part of it) may reach an answer, a notice,
// a health message, a log line or a metric.

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

// Every secret carries the marker, so any readable part of one is found by it; the other characters are the
// ones encoders change (HTML, quote, backslash, space, URL and base64 specials, non-ASCII).
const secretMarker = "S3CR3T"

var (
	leakTempoPassword = `Tempo-P4ss<&>"\ +/=%é-` + secretMarker + `-0-tail`
	leakTempoToken    = `tempo-T0KEN<&>"+/=%-` + secretMarker + `-1-tail`
	leakLokiPassword  = `loki-P4ss<&>'+/=%-` + secretMarker + `-2-tail`
	leakLokiToken     = `loki-T0KEN<&>+/=%-` + secretMarker + `-3-tail`
	leakToken         = `agent-T0KEN<&>%+/=-` + secretMarker + `-4-tail`
	// Not a valid header value: the HTTP client\'s own error message quotes it.
	badHeaderToken = "agent-T0KEN\n-" + secretMarker + "-5-tail"
)

// echoUpstream answers every request with the given status and a body that repeats each request header raw,
// as Go's JSON, URL-encoded, base64 and hex, after pad filler characters that move the excerpt's cut.
func echoUpstream(t *testing.T, status, pad int) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body strings.Builder
		body.WriteString(strings.Repeat("~", pad))
		asJSON, _ := json.Marshal(r.Header)
		body.Write(asJSON)
		body.WriteString(" " + url.Values(r.Header).Encode() + "\n")
		for name, values := range r.Header {
			for _, v := range values {
				line := name + ": " + v
				fmt.Fprintf(&body, "%s\n%s %s %s %s\n", line, base64.StdEncoding.EncodeToString([]byte(line)),
					base64.URLEncoding.EncodeToString([]byte(v)), hex.EncodeToString([]byte(v)), url.PathEscape(v))
				if scheme, credential, ok := strings.Cut(v, " "); ok && scheme == "Basic" {
					decoded, _ := base64.StdEncoding.DecodeString(credential)
					fmt.Fprintf(&body, "user:password=%s %q\n", decoded, decoded)
				}
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body.String()))
	}))
	t.Cleanup(s.Close)
	return s
}

type leakSurface struct {
	where string
	text  string
}

func secretsQueries() []pluginhost.Query {
	var queries []pluginhost.Query
	for _, qt := range []string{"drops", "traceNetwork", "topology", "flows", "tcpHealth", "dns", "logs"} {
		queries = append(queries, pluginhost.Query{
			RefID: qt, QueryType: qt,
			JSON:   []byte(`{"queryType":"` + qt + `","namespace":"shop","traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}`),
			FromMS: 1_699_999_000_000, ToMS: 1_700_001_000_000, MaxDataPoints: 100, IntervalMS: 1000,
		})
	}
	return queries
}

// surfaces sends every query type, a health check and every resource route, and returns all they answered.
func surfaces(t *testing.T, p *ownPlugin, settings pluginhost.Settings) []leakSurface {
	var out []leakSurface
	raw, decoded, err := p.QueryData(probeCtx(t), settings, secretsQueries())
	if err != nil {
		t.Fatal(err)
	}
	for refID, r := range raw.Responses {
		out = append(out, leakSurface{"query " + refID + " error", r.Error})
		for _, frame := range r.Frames {
			out = append(out, leakSurface{"query " + refID + " frame bytes", string(frame)})
		}
	}
	for refID, r := range decoded.Responses {
		for _, f := range r.Frames {
			if f.Meta != nil {
				for _, n := range f.Meta.Notices {
					out = append(out, leakSurface{"query " + refID + " notice", n.Text})
				}
			}
		}
	}
	health, err := p.CheckHealth(probeCtx(t), settings)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, leakSurface{"health message", health.Message}, leakSurface{"health details", string(health.JsonDetails)})
	for _, route := range []string{"namespaces", "pods?namespace=shop", "services", "policies"} {
		code, body, err := callResource(probeCtx(t), p.Plugin, settings, resourceCall{method: "GET", path: route, url: "/" + route})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, leakSurface{fmt.Sprintf("resource %s (%d)", route, code), string(body)})
	}
	return out
}

// secretEncodings lists the byte sequences a secret may take in text, written independently of the backend.
func secretEncodings(secret string) []string {
	goJSON, _ := json.Marshal(secret)
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	forms := []string{
		secret, string(goJSON[1 : len(goJSON)-1]), strings.TrimSpace(plain.String())[1 : len(strings.TrimSpace(plain.String()))-1],
		url.QueryEscape(secret), url.PathEscape(secret), hex.EncodeToString([]byte(secret)),
	}
	// base64 at each byte alignment: the characters that depend on the secret alone.
	for offset := 0; offset < 3; offset++ {
		for _, encoding := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			encoded := encoding.EncodeToString(append(make([]byte, offset), secret...))
			start, end := (offset*8+5)/6, (offset+len(secret))*8/6
			forms = append(forms, encoded[start:end])
		}
	}
	return forms
}

var encodedRun = regexp.MustCompile(`[A-Za-z0-9+/_=-]{8,}`)

// A run this long of an encoded secret is not found in text by chance.
const leakWindow = 16

// findLeak names what of a secret a text holds: the marker (any readable part), a part of an encoding, or a
// marker hidden under one or two layers of base64 or hex.
func findLeak(text string, secrets []string) string {
	if strings.Contains(text, secretMarker) {
		return "the marker " + secretMarker
	}
	for _, secret := range secrets {
		for _, form := range secretEncodings(secret) {
			for i := 0; i+leakWindow <= len(form); i++ {
				if strings.Contains(text, form[i:i+leakWindow]) {
					return fmt.Sprintf("part of an encoding of a secret (%q of %q)", form[i:i+leakWindow], form)
				}
			}
		}
	}
	for _, decoded := range decodings(text, 2) {
		if strings.Contains(decoded, secretMarker) {
			return fmt.Sprintf("a secret under base64 or hex (%.80q)", decoded)
		}
	}
	return ""
}

// decodings decodes every base64 or hex run of text at each alignment, depth layers deep.
func decodings(text string, depth int) []string {
	if depth == 0 {
		return nil
	}
	var out []string
	for _, run := range encodedRun.FindAllString(text, -1) {
		trimmed := strings.TrimRight(run, "=")
		for _, encoding := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			for cut := 0; cut < 4 && cut < len(trimmed); cut++ {
				body := trimmed[cut:]
				if b, err := encoding.DecodeString(body[:len(body)/4*4]); err == nil {
					out = append(out, string(b))
					out = append(out, decodings(string(b), depth-1)...)
				}
			}
		}
		for cut := 0; cut < 2 && cut < len(run); cut++ {
			body := run[cut:]
			if b, err := hex.DecodeString(body[:len(body)/2*2]); err == nil {
				out = append(out, string(b))
			}
		}
	}
	return out
}

func TestNoSecretLeaksFromEchoingUpstreams(t *testing.T) {
	p := startOwnPlugin(t)
	secrets := []string{leakTempoPassword, leakTempoToken, leakLokiPassword, leakLokiToken, leakToken, badHeaderToken,
		"admin:" + leakTempoPassword, "loki-user:" + leakLokiPassword}
	goodAgent := newAgent(t, leakToken, sampleEvents())
	checked := 0
	for _, status := range []int{200, 400, 401, 403, 500} {
		// Filler that puts the excerpt's cut before, inside and after the first echoed header.
		for _, pad := range []int{0, 120, 280} {
			echo := func() string { return echoUpstream(t, status, pad).URL }
			variants := map[string]pluginhost.Settings{
				"tempo basic, loki bearer, agent token": settingsJSON(t, map[string]any{
					"tempo":     map[string]any{"url": echo(), "auth": "basic", "basicAuthUser": "admin"},
					"loki":      map[string]any{"url": echo(), "auth": "bearer"},
					"agentUrls": []string{goodAgent.URL, echo()},
					"tenant":    "team-a",
				}, map[string]string{"tempoPassword": leakTempoPassword, "lokiToken": leakLokiToken, "agentToken": leakToken}),
				"tempo bearer, loki basic, agent token": settingsJSON(t, map[string]any{
					"tempo":     map[string]any{"url": echo(), "auth": "bearer"},
					"loki":      map[string]any{"url": echo(), "auth": "basic", "basicAuthUser": "loki-user"},
					"agentUrls": []string{echo()},
				}, map[string]string{"tempoToken": leakTempoToken, "lokiPassword": leakLokiPassword, "agentToken": leakToken}),
				"agent token that is no valid header value": settingsJSON(t, map[string]any{
					"tempo":     map[string]any{"url": echo(), "auth": "bearer"},
					"agentUrls": []string{echo()},
				}, map[string]string{"tempoToken": badHeaderToken, "agentToken": badHeaderToken}),
			}
			for name, settings := range variants {
				for _, s := range surfaces(t, p, settings) {
					checked++
					if leak := findLeak(s.text, secrets); leak != "" {
						t.Errorf("HTTP %d, pad %d, %s: %s holds %s:\n%.600s", status, pad, name, s.where, leak, s.text)
					}
				}
			}
		}
	}
	metrics, err := p.CollectMetrics(probeCtx(t), settingsJSON(t, map[string]any{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if leak := findLeak(metrics, secrets); leak != "" {
		t.Errorf("metrics hold %s", leak)
	}
	log := p.log.String()
	if leak := findLeak(log, secrets); leak != "" {
		t.Errorf("the plugin log holds %s", leak)
	}
	if !strings.Contains(log, "query failed") {
		t.Error("the plugin logged no failed query: the log surface was not exercised")
	}
	t.Logf("%d answers, the metrics and %d bytes of log checked", checked, len(log))
}

// The check itself must find what it looks for, or a leak would pass unseen.
func TestLeakFinderFindsEachEncoding(t *testing.T) {
	secrets := []string{leakTempoPassword, "admin:" + leakTempoPassword}
	basic := base64.StdEncoding.EncodeToString([]byte("admin:" + leakTempoPassword))
	for _, text := range append(secretEncodings(leakTempoPassword),
		"Authorization: Basic "+basic[:20],
		base64.StdEncoding.EncodeToString([]byte("Authorization: Basic "+basic)),
		leakTempoPassword[:len(leakTempoPassword)-6],
	) {
		if findLeak("x "+text+" y", secrets) == "" {
			t.Errorf("no leak found in %q", text)
		}
	}
	if leak := findLeak(`Tempo rejected the credentials for /api/search: [redacted] {"Accept":["application/json"]}`, secrets); leak != "" {
		t.Errorf("a masked message was taken for a leak: %s", leak)
	}
}

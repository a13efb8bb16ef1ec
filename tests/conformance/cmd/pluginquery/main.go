// Command pluginquery stands in for Grafana: it starts a backend plugin executable, sends one QueryData
// (or CheckHealth, or CallResource) with the given settings and queries, and prints the decoded frames as JSON.
//
//	pluginquery -plugin dist/datasource/gpx_wiretrace_linux_amd64 -settings settings.json \
//	    -query '{"queryType":"flows"}' -from 2026-01-01T00:00:00Z -to now
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

type queryFlags []string

func (q *queryFlags) String() string     { return strings.Join(*q, " ") }
func (q *queryFlags) Set(v string) error { *q = append(*q, v); return nil }

type responseJSON struct {
	Status      int                    `json:"status"`
	Error       string                 `json:"error,omitempty"`
	ErrorSource string                 `json:"errorSource,omitempty"`
	Frames      []pluginhost.FrameJSON `json:"frames"`
}

func main() {
	executable := flag.String("plugin", "dist/datasource/gpx_wiretrace_linux_amd64", "plugin executable")
	settingsArg := flag.String("settings", "", "datasource settings: a JSON file or inline JSON {uid,name,jsonData,secureJsonData}")
	from := flag.String("from", "now-1h", "time range start: RFC 3339, epoch ms, now or now-<duration>")
	to := flag.String("to", "now", "time range end")
	mode := flag.String("mode", "query", "query, health, resource or metrics")
	resource := flag.String("resource", "namespaces", "resource path for -mode resource")
	timeout := flag.Duration("timeout", 60*time.Second, "overall timeout")
	verbose := flag.Bool("v", false, "relay the plugin's log lines to stderr")
	rounds := flag.Int("rounds", 1, "send the queries this many times to one plugin process (it keeps its state between rounds); each answered round is reported on stderr and the last round's frames are printed")
	stepFD := flag.Int("step-fd", -1, "with -rounds: before each round after the first, wait for a line on this inherited file descriptor (not stdin, which the plugin shares)")
	var queries queryFlags
	flag.Var(&queries, "query", "query JSON (repeatable); refId defaults to A, B, ...")
	flag.Parse()

	if err := run(*executable, *settingsArg, *from, *to, *mode, *resource, *timeout, *verbose, *rounds, *stepFD, queries); err != nil {
		fmt.Fprintln(os.Stderr, "pluginquery:", err)
		os.Exit(1)
	}
}

func run(executable, settingsArg, from, to, mode, resource string, timeout time.Duration, verbose bool, rounds, stepFD int, queries []string) error {
	settings, err := loadSettings(settingsArg)
	if err != nil {
		return err
	}
	opts := pluginhost.Options{Executable: executable}
	if verbose {
		opts.Stderr = os.Stderr
	}
	plugin, err := pluginhost.Start(opts)
	if err != nil {
		return err
	}
	defer plugin.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")

	switch mode {
	case "health":
		res, err := plugin.CheckHealth(ctx, settings)
		if err != nil {
			return err
		}
		var details any
		_ = json.Unmarshal(res.JsonDetails, &details)
		return out.Encode(map[string]any{"status": res.Status.String(), "message": res.Message, "details": details})
	case "resource":
		code, body, err := plugin.CallResource(ctx, settings, resource)
		if err != nil {
			return err
		}
		var parsed any
		if json.Unmarshal(body, &parsed) != nil {
			parsed = string(body)
		}
		return out.Encode(map[string]any{"status": code, "body": parsed})
	case "metrics":
		text, err := plugin.CollectMetrics(ctx, settings)
		if err != nil {
			return err
		}
		_, err = fmt.Print(text)
		return err
	case "query":
	default:
		return fmt.Errorf("unknown -mode %q (query, health, resource, metrics)", mode)
	}

	fromMS, err := parseTime(from)
	if err != nil {
		return fmt.Errorf("-from: %w", err)
	}
	toMS, err := parseTime(to)
	if err != nil {
		return fmt.Errorf("-to: %w", err)
	}
	if len(queries) == 0 {
		return fmt.Errorf("give at least one -query")
	}
	var batch []pluginhost.Query
	for i, q := range queries {
		var head struct {
			RefID     string `json:"refId"`
			QueryType string `json:"queryType"`
		}
		_ = json.Unmarshal([]byte(q), &head)
		if head.RefID == "" {
			head.RefID = string(rune('A' + i))
		}
		batch = append(batch, pluginhost.Query{
			RefID: head.RefID, QueryType: head.QueryType, JSON: []byte(q),
			FromMS: fromMS, ToMS: toMS, MaxDataPoints: 1000, IntervalMS: 1000,
		})
	}
	if rounds < 1 {
		return fmt.Errorf("-rounds must be at least 1, got %d", rounds)
	}
	var step *bufio.Reader
	if stepFD >= 0 {
		// A caller's pipe may come non-blocking (Node opens it so); waiting for a line means a blocking read.
		if err := syscall.SetNonblock(stepFD, false); err != nil {
			return fmt.Errorf("-step-fd %d: %w", stepFD, err)
		}
		step = bufio.NewReader(os.NewFile(uintptr(stepFD), "step"))
	}
	var decoded *backend.QueryDataResponse
	for round := 1; round <= rounds; round++ {
		if round > 1 && step != nil {
			if _, err := step.ReadString('\n'); err != nil {
				return fmt.Errorf("waiting on -step-fd for round %d: %w", round, err)
			}
		}
		if _, decoded, err = plugin.QueryData(ctx, settings, batch); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "round %d answered\n", round)
	}
	result := map[string]responseJSON{}
	for refID, res := range decoded.Responses {
		r := responseJSON{Status: int(res.Status), ErrorSource: string(res.ErrorSource), Frames: []pluginhost.FrameJSON{}}
		if res.Error != nil {
			r.Error = res.Error.Error()
		}
		for _, f := range res.Frames {
			r.Frames = append(r.Frames, pluginhost.DescribeFrame(f))
		}
		result[refID] = r
	}
	return out.Encode(result)
}

func loadSettings(arg string) (pluginhost.Settings, error) {
	var s pluginhost.Settings
	if arg == "" {
		return pluginhost.Settings{UID: "wiretrace", Name: "Wiretrace", JSONData: json.RawMessage("{}")}, nil
	}
	raw := []byte(arg)
	if !strings.HasPrefix(strings.TrimSpace(arg), "{") {
		b, err := os.ReadFile(arg)
		if err != nil {
			return s, fmt.Errorf("settings: %w", err)
		}
		raw = b
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("settings JSON: %w", err)
	}
	if s.Name == "" {
		s.Name = "Wiretrace"
	}
	if len(s.JSONData) == 0 {
		s.JSONData = json.RawMessage("{}")
	}
	return s, nil
}

func parseTime(v string) (int64, error) {
	now := time.Now()
	switch {
	case v == "now":
		return now.UnixMilli(), nil
	case strings.HasPrefix(v, "now-"):
		d, err := time.ParseDuration(strings.TrimPrefix(v, "now-"))
		if err != nil {
			return 0, err
		}
		return now.Add(-d).UnixMilli(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UnixMilli(), nil
	}
	var ms int64
	if _, err := fmt.Sscanf(v, "%d", &ms); err != nil {
		return 0, fmt.Errorf("not a time: %q", v)
	}
	return ms, nil
}

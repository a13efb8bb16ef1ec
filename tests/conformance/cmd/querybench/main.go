// Command querybench times QueryData as Grafana sends it: the SDK's go-plugin host starts the backend executable
// and sends the same query over gRPC, first one at a time, then many at once. After each single query it asks the
// upstream process how long the upstreams themselves took, so that the difference is the backend's own time.
// It prints one JSON object with every latency, the upstream times and the plugin's memory.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wiretrace/wiretrace/tests/conformance/pluginhost"
)

type result struct {
	SingleMs     []float64      `json:"singleMs"`
	UpstreamMs   []float64      `json:"upstreamMs"`
	ConcurrentMs []float64      `json:"concurrentMs"`
	Concurrency  int            `json:"concurrency"`
	Rows         map[string]int `json:"rows"`
	ArrowBytes   int            `json:"arrowBytes"`
	PeakRssMb    float64        `json:"peakRssMb"`
	RssAfterMb   float64        `json:"rssAfterMb"`
}

type upstreamTake struct {
	UpstreamMs float64 `json:"upstreamMs"`
}

func main() {
	executable := flag.String("plugin", "dist/datasource/gpx_wiretrace_linux_amd64", "plugin executable")
	settingsJSON := flag.String("settings", "", "datasource settings JSON {uid,name,jsonData}")
	queryJSON := flag.String("query", "", "query JSON")
	fromMS := flag.Int64("from", 0, "range start, epoch ms")
	toMS := flag.Int64("to", 0, "range end, epoch ms")
	control := flag.String("control", "", "upstream process control URL (GET /take returns the upstream time since the last take); empty: upstream times are not asked")
	warmup := flag.Int("warmup", 5, "untimed queries first")
	runs := flag.Int("runs", 40, "timed single queries")
	concurrency := flag.Int("concurrency", 16, "queries sent at once in the concurrent rounds")
	rounds := flag.Int("rounds", 3, "concurrent rounds")
	flag.Parse()
	if err := run(*executable, *settingsJSON, *queryJSON, *fromMS, *toMS, *control, *warmup, *runs, *concurrency, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "querybench:", err)
		os.Exit(1)
	}
}

func run(executable, settingsJSON, queryJSON string, fromMS, toMS int64, control string, warmup, runs, concurrency, rounds int) error {
	var settings pluginhost.Settings
	if err := json.Unmarshal([]byte(settingsJSON), &settings); err != nil {
		return fmt.Errorf("-settings: %w", err)
	}
	plugin, err := pluginhost.Start(pluginhost.Options{Executable: executable})
	if err != nil {
		return err
	}
	defer plugin.Kill()
	query := []pluginhost.Query{{RefID: "A", QueryType: "drops", JSON: []byte(queryJSON), FromMS: fromMS, ToMS: toMS, MaxDataPoints: 1000, IntervalMS: 1000}}
	out := result{Concurrency: concurrency, Rows: map[string]int{}}

	once := func() (float64, error) {
		started := time.Now()
		raw, decoded, err := plugin.QueryData(context.Background(), settings, query)
		ms := float64(time.Since(started).Microseconds()) / 1000
		if err != nil {
			return 0, err
		}
		res := decoded.Responses["A"]
		if res.Error != nil {
			return 0, fmt.Errorf("query answered %d: %v", res.Status, res.Error)
		}
		out.ArrowBytes = 0
		for _, f := range raw.Responses["A"].Frames {
			out.ArrowBytes += len(f)
		}
		for _, f := range res.Frames {
			if rows, err := f.RowLen(); err == nil {
				out.Rows[f.Name] = rows
			}
		}
		return ms, nil
	}

	if _, err := take(control); err != nil {
		return err
	}
	for i := 0; i < warmup+runs; i++ {
		ms, err := once()
		if err != nil {
			return err
		}
		upstream, err := take(control)
		if err != nil {
			return err
		}
		if i >= warmup {
			out.SingleMs = append(out.SingleMs, ms)
			out.UpstreamMs = append(out.UpstreamMs, upstream)
		}
	}
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		for c := 0; c < concurrency; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ms, err := once()
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out.ConcurrentMs = append(out.ConcurrentMs, ms)
			}()
		}
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
	}
	out.PeakRssMb = statusMb(plugin.Pid(), "VmHWM")
	out.RssAfterMb = statusMb(plugin.Pid(), "VmRSS")
	return json.NewEncoder(os.Stdout).Encode(out)
}

func take(control string) (float64, error) {
	if control == "" {
		return 0, nil
	}
	res, err := http.Get(control + "/take")
	if err != nil {
		return 0, fmt.Errorf("upstream control: %w", err)
	}
	defer res.Body.Close()
	var t upstreamTake
	if err := json.NewDecoder(res.Body).Decode(&t); err != nil {
		return 0, fmt.Errorf("upstream control: %w", err)
	}
	return t.UpstreamMs, nil
}

// statusMb reads a memory line (VmHWM: peak resident set, VmRSS: current) of /proc/<pid>/status, in MB.
func statusMb(pid int, key string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, key+":") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

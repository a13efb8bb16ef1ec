// Command framebench encodes the benchmark's flows-like rows the way every Go plugin does (data.Frame →
// MarshalArrow), timed like ours, and decodes both its own bytes and the given Arrow file of ours with the SDK to
// check that the two frames are equal field by field and row by row. It prints one JSON object.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// columns is the rows as the benchmark writes them: times in ns, numbers, strings, nulls as JSON null.
type columns struct {
	Time        []int64    `json:"time"`
	SrcPod      []string   `json:"src_pod"`
	DstIP       []string   `json:"dst_ip"`
	State       []string   `json:"state"`
	Bytes       []int64    `json:"bytes"`
	RTT         []*float64 `json:"rtt"`
	Retransmits []int64    `json:"retransmits"`
	Reset       []bool     `json:"reset"`
}

type result struct {
	Rows       int     `json:"rows"`
	MedianMs   float64 `json:"medianMs"`
	RowsPerSec float64 `json:"rowsPerSec"`
	Bytes      int     `json:"bytes"`
	SameResult bool    `json:"sameResult"`
	Difference string  `json:"difference,omitempty"`
}

func main() {
	columnsFile := flag.String("columns", "", "the rows as JSON columns")
	oursFile := flag.String("ours", "", "our Arrow IPC file of the same rows")
	runs := flag.Int("runs", 7, "timed encodings (one untimed first)")
	flag.Parse()
	if err := run(*columnsFile, *oursFile, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "framebench:", err)
		os.Exit(1)
	}
}

func run(columnsFile, oursFile string, runs int) error {
	raw, err := os.ReadFile(columnsFile)
	if err != nil {
		return err
	}
	var c columns
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("%s: %w", columnsFile, err)
	}
	times := make([]time.Time, len(c.Time))
	for i, ns := range c.Time {
		times[i] = time.Unix(0, ns).UTC()
	}
	build := func() *data.Frame {
		f := data.NewFrame("flows",
			data.NewField("time", nil, times),
			data.NewField("src_pod", nil, c.SrcPod),
			data.NewField("dst_ip", nil, c.DstIP),
			data.NewField("state", nil, c.State),
			data.NewField("bytes", nil, c.Bytes),
			data.NewField("rtt", nil, c.RTT),
			data.NewField("retransmits", nil, c.Retransmits),
			data.NewField("reset", nil, c.Reset),
		)
		f.RefID = "A"
		f.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
		return f
	}
	// Timed like ours: the frame from column values, then the Arrow IPC bytes.
	encoded, err := build().MarshalArrow()
	if err != nil {
		return err
	}
	durations := make([]float64, 0, runs)
	for i := 0; i < runs; i++ {
		started := time.Now()
		encoded, err = build().MarshalArrow()
		if err != nil {
			return err
		}
		durations = append(durations, float64(time.Since(started).Microseconds())/1000)
	}
	sort.Float64s(durations)
	median := durations[len(durations)/2]
	out := result{Rows: len(times), MedianMs: median, RowsPerSec: float64(len(times)) / (median / 1000), Bytes: len(encoded)}

	oursBytes, err := os.ReadFile(oursFile)
	if err != nil {
		return err
	}
	ours, err := data.UnmarshalArrowFrame(oursBytes)
	if err != nil {
		return fmt.Errorf("the SDK cannot read our frame: %w", err)
	}
	theirs, err := data.UnmarshalArrowFrame(encoded)
	if err != nil {
		return err
	}
	out.Difference = difference(ours, theirs)
	out.SameResult = out.Difference == ""
	return json.NewEncoder(os.Stdout).Encode(out)
}

// difference names the first thing that differs between two decoded frames, or is empty.
func difference(a, b *data.Frame) string {
	if a.Name != b.Name || a.RefID != b.RefID {
		return fmt.Sprintf("frame %q/%q vs %q/%q", a.Name, a.RefID, b.Name, b.RefID)
	}
	if len(a.Fields) != len(b.Fields) {
		return fmt.Sprintf("%d fields vs %d", len(a.Fields), len(b.Fields))
	}
	for i, fa := range a.Fields {
		fb := b.Fields[i]
		if fa.Name != fb.Name || fa.Type() != fb.Type() {
			return fmt.Sprintf("field %d: %s %s vs %s %s", i, fa.Name, fa.Type().ItemTypeString(), fb.Name, fb.Type().ItemTypeString())
		}
		if fa.Len() != fb.Len() {
			return fmt.Sprintf("field %s: %d rows vs %d", fa.Name, fa.Len(), fb.Len())
		}
		for r := 0; r < fa.Len(); r++ {
			va, vb := fa.At(r), fb.At(r)
			if ta, ok := va.(time.Time); ok {
				if !ta.Equal(vb.(time.Time)) {
					return fmt.Sprintf("field %s row %d: %v vs %v", fa.Name, r, va, vb)
				}
				continue
			}
			if !reflect.DeepEqual(va, vb) {
				return fmt.Sprintf("field %s row %d: %v vs %v", fa.Name, r, va, vb)
			}
		}
	}
	return ""
}

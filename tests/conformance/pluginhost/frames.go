package pluginhost

import (
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// FrameJSON is a decoded frame in a form tests and the CLI print: names, SDK field types, values, metadata.
type FrameJSON struct {
	Name   string      `json:"name"`
	RefID  string      `json:"refId"`
	Meta   any         `json:"meta,omitempty"`
	Fields []FieldJSON `json:"fields"`
}

// FieldJSON is one field with its SDK type (e.g. "*string" for a nullable string) and its values.
type FieldJSON struct {
	Name   string            `json:"name"`
	Type   string            `json:"type"`
	Labels map[string]string `json:"labels,omitempty"`
	Config any               `json:"config,omitempty"`
	Values []any             `json:"values"`
}

// DescribeFrame turns an SDK frame (as data.UnmarshalArrowFrames decoded it) into FrameJSON.
func DescribeFrame(f *data.Frame) FrameJSON {
	out := FrameJSON{Name: f.Name, RefID: f.RefID, Fields: []FieldJSON{}}
	if f.Meta != nil {
		out.Meta = f.Meta
	}
	for _, field := range f.Fields {
		fj := FieldJSON{Name: field.Name, Type: field.Type().ItemTypeString(), Values: []any{}}
		if len(field.Labels) > 0 {
			fj.Labels = field.Labels
		}
		if field.Config != nil {
			fj.Config = field.Config
		}
		for i := 0; i < field.Len(); i++ {
			fj.Values = append(fj.Values, plainValue(field.At(i)))
		}
		out.Fields = append(out.Fields, fj)
	}
	return out
}

// plainValue dereferences nullable pointers and prints times as RFC 3339 with nanoseconds.
func plainValue(v any) any {
	switch t := v.(type) {
	case *string:
		if t == nil {
			return nil
		}
		return *t
	case *float64:
		if t == nil {
			return nil
		}
		return *t
	case *int64:
		if t == nil {
			return nil
		}
		return *t
	case *bool:
		if t == nil {
			return nil
		}
		return *t
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.UTC().Format(time.RFC3339Nano)
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano)
	case *json.RawMessage:
		if t == nil {
			return nil
		}
		return *t
	default:
		return v
	}
}

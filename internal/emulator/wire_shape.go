package emulator

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
)

// The shapes of the emulator's answers in its plain dialect, one file per
// action under testdata/wire (wire_golden_test.go records and checks them),
// and the comparison of an answer with them. tools/live-check compares the
// live service's answers with the same files.

//go:embed testdata/wire/*.json
var wireShapeFiles embed.FS

// WireShapeDifferences compares an answer body of action (an action name,
// or "GatewayError") with the shape the emulator's plain dialect gives it:
// every key, with the JSON type of its value. It lists each key whose type
// differs, each key the emulator writes and the body lacks, and each key the
// body has and the emulator does not write; none when they agree. Keys below
// a list the body holds empty are not compared.
func WireShapeDifferences(action string, body []byte) ([]string, error) {
	raw, err := wireShapeFiles.ReadFile("testdata/wire/" + action + ".json")
	if err != nil {
		return nil, fmt.Errorf("the emulator has no shape for %s", action)
	}
	var want any
	if err := json.Unmarshal(raw, &want); err != nil {
		return nil, fmt.Errorf("the shape of %s: %w", action, err)
	}
	got, err := bodyShape(body)
	if err != nil {
		return nil, err
	}
	gotPaths, wantPaths := map[string]string{}, map[string]string{}
	flattenShape("", got, gotPaths)
	flattenShape("", want, wantPaths)
	return diffPaths(gotPaths, wantPaths), nil
}

// bodyShape decodes one complete JSON document and reduces it to its shape.
func bodyShape(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON document")
	}
	return shapeOf(v)
}

// shapeOf replaces every value by its JSON type ("string", "number", "bool",
// "null") and every array by the one shape its elements share.
func shapeOf(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, elem := range x {
			s, err := shapeOf(elem)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = s
		}
		return out, nil
	case []any:
		if len(x) == 0 {
			return []any{}, nil
		}
		var first any
		for i, elem := range x {
			s, err := shapeOf(elem)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			if i == 0 {
				first = s
			} else if !reflect.DeepEqual(s, first) {
				return nil, fmt.Errorf("element %d has another shape than element 0", i)
			}
		}
		return []any{first}, nil
	case string:
		return "string", nil
	case json.Number:
		return "number", nil
	case bool:
		return "bool", nil
	case nil:
		return "null", nil
	}
	return nil, fmt.Errorf("unexpected JSON value %T", v)
}

// flattenShape lists a shape as key path -> type, arrays' elements under "path[]".
func flattenShape(path string, shape any, out map[string]string) {
	switch s := shape.(type) {
	case map[string]any:
		if path != "" {
			out[path] = "object"
		}
		for k, v := range s {
			child := k
			if path != "" {
				child = path + "." + k
			}
			flattenShape(child, v, out)
		}
	case []any:
		out[path] = "array"
		for _, v := range s {
			flattenShape(path+"[]", v, out)
		}
	case string:
		out[path] = s
	default:
		out[path] = fmt.Sprintf("unreadable golden value %v", s)
	}
}

// diffPaths lists every difference; the element keys of a list that is empty
// in got cannot be checked and are skipped.
func diffPaths(got, want map[string]string) []string {
	var problems []string
	for path, typ := range want {
		if underEmptyList(path, got) {
			continue
		}
		switch g, ok := got[path]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("key %s (%s) is missing", path, typ))
		case g != typ:
			problems = append(problems, fmt.Sprintf("key %s is %s, want %s", path, g, typ))
		}
	}
	for path, typ := range got {
		if _, ok := want[path]; !ok {
			problems = append(problems, fmt.Sprintf("key %s (%s) is not in the golden file", path, typ))
		}
	}
	sort.Strings(problems)
	return problems
}

// underEmptyList reports whether path lies below a list that got holds empty.
func underEmptyList(path string, got map[string]string) bool {
	for i := strings.Index(path, "[]"); i >= 0; {
		list := path[:i]
		if _, hasElements := got[list+"[]"]; got[list] == "array" && !hasElements {
			return true
		}
		next := strings.Index(path[i+2:], "[]")
		if next < 0 {
			return false
		}
		i += 2 + next
	}
	return false
}

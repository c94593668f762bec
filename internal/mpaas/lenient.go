package mpaas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The lenient scalars of the wire structs (wire.go). The official SDKs
// decode answers with a fuzzy decoder, so the Go types of their models do
// not prove which JSON type the service sends (DESIGN.md section 6.2): a
// string field takes a number, an integer field a numeric string, a bool
// field "true" or 1. These types read every such form, and more, without
// ever failing the answer they are in: a value none of them can read is
// kept as sent and reported by the field's reader (a DecodeError for a
// package or task, an InvalidResponseError for an ID), never by
// encoding/json. null is the same as an absent key.

// jsonText is one JSON value as a lenient scalar sees it: its kind and its
// text (a string's content unquoted, any other value's literal JSON).
type jsonText struct {
	kind byte // 'n' null, 's' string, '0' number, 'b' bool, '{' object or array
	text string
}

func readJSONText(data []byte) jsonText {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0 || string(data) == "null":
		return jsonText{kind: 'n'}
	case data[0] == '"':
		var s string
		if json.Unmarshal(data, &s) != nil {
			return jsonText{kind: '{', text: string(data)}
		}
		return jsonText{kind: 's', text: s}
	case string(data) == "true" || string(data) == "false":
		return jsonText{kind: 'b', text: string(data)}
	case data[0] == '{' || data[0] == '[':
		return jsonText{kind: '{', text: string(data)}
	}
	return jsonText{kind: '0', text: string(data)}
}

// flexString is a string field: a JSON string, a number (its literal text,
// 1751594649000 stays exact), a bool ("true"/"false"), or an object or
// array (its JSON text, so that a JSON-in-a-string field such as ExtendInfo
// also reads when it arrives as the object itself). null is "".
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	v := readJSONText(data)
	if v.kind != 'n' {
		*s = flexString(v.text)
	}
	return nil
}

// flexInt is an integer field: a JSON number or a numeric string ("12",
// " 12 ", "12.0", "1e3"; any integral value in range). null and "" are
// absent. Any other value is unreadable: kept in raw, the value is 0.
type flexInt struct {
	value int64
	set   bool   // a value was sent and read
	raw   string // the value as sent, when it could not be read
}

// flexIntOf is a flexInt holding n (for answers built in code).
func flexIntOf[N int | int32 | int64](n N) flexInt { return flexInt{value: int64(n), set: true} }

func (f *flexInt) UnmarshalJSON(data []byte) error {
	*f = flexInt{}
	v := readJSONText(data)
	switch v.kind {
	case 'n':
		return nil
	case 's':
		if strings.TrimSpace(v.text) == "" {
			return nil
		}
	}
	if n, ok := parseIntegral(v.text); ok && (v.kind == 's' || v.kind == '0') {
		f.value, f.set = n, true
		return nil
	}
	f.raw = v.text
	return nil
}

// MarshalJSON writes the number, the raw text of an unreadable value as a
// string, or null.
func (f flexInt) MarshalJSON() ([]byte, error) {
	switch {
	case f.set:
		return strconv.AppendInt(nil, f.value, 10), nil
	case f.raw != "":
		return json.Marshal(f.raw)
	}
	return []byte("null"), nil
}

// parseIntegral reads an integer written as such or as an integral
// decimal ("12", "12.0", "1.2e1"), within int64.
func parseIntegral(text string) (int64, bool) {
	text = strings.TrimSpace(text)
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// int64Value is the value, 0 when absent or unreadable.
func (f flexInt) int64Value() int64 { return f.value }

// int32Value is the value, 0 when absent, unreadable or beyond int32.
func (f flexInt) int32Value() int32 {
	if f.value < math.MinInt32 || f.value > math.MaxInt32 {
		return 0
	}
	return int32(f.value)
}

// problem says why a value that was sent could not be read (nil when it was
// read or is absent); bits bounds it (32 or 64).
func (f flexInt) problem(bits int) error {
	switch {
	case f.raw != "":
		return fmt.Errorf("%q is not a whole number", f.raw)
	case bits == 32 && f.set && (f.value < math.MinInt32 || f.value > math.MaxInt32):
		return fmt.Errorf("%d is beyond a 32-bit number", f.value)
	}
	return nil
}

// text is the value as the client understood it or as sent, for messages.
func (f flexInt) text() string {
	if f.raw != "" {
		return f.raw
	}
	return strconv.FormatInt(f.value, 10)
}

// flexBool is a bool field: true/false, the strings "true"/"false" (any
// case), 1/0 and "1"/"0". null and "" are absent. Any other value is
// unreadable: kept in raw, the value is false.
type flexBool struct {
	value bool
	set   bool
	raw   string
}

// flexBoolOf is a flexBool holding b (for answers built in code).
func flexBoolOf(b bool) flexBool { return flexBool{value: b, set: true} }

func (f *flexBool) UnmarshalJSON(data []byte) error {
	*f = flexBool{}
	v := readJSONText(data)
	if v.kind == 'n' || v.kind == 's' && strings.TrimSpace(v.text) == "" {
		return nil
	}
	if v.kind != '{' {
		switch strings.ToLower(strings.TrimSpace(v.text)) {
		case "true", "1":
			f.value, f.set = true, true
			return nil
		case "false", "0":
			f.set = true
			return nil
		}
	}
	f.raw = v.text
	return nil
}

// MarshalJSON writes the bool, the raw text of an unreadable value as a
// string, or null.
func (f flexBool) MarshalJSON() ([]byte, error) {
	switch {
	case f.set:
		return strconv.AppendBool(nil, f.value), nil
	case f.raw != "":
		return json.Marshal(f.raw)
	}
	return []byte("null"), nil
}

// isTrue is the value: false when absent or unreadable.
func (f flexBool) isTrue() bool { return f.value }

// flexTime is a time field (GmtCreate, GreyEndtimeData): the service's
// zone-less "yyyy-MM-dd HH:mm:ss", RFC 3339, or epoch milliseconds as a
// number or a numeric string; serviceTimes reads it in the service's zone.
// It reads JSON like flexString and keeps the text as sent.
type flexTime string

func (t *flexTime) UnmarshalJSON(data []byte) error {
	return (*flexString)(t).UnmarshalJSON(data)
}

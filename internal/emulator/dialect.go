package emulator

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// The SDK-lenient dialect (Quirks.SDKLenient): the emulator's answers with
// the same keys and values in the other JSON types the official SDKs'
// decoder accepts (DESIGN.md section 6.2), the forms a proxy or the live
// service may use: every number as a numeric string (CurrentPage, Id,
// TaskStatus, ...) except FileSize, which becomes a number; every bool as
// "true"/"false"; GmtCreate and GmtModified as epoch milliseconds (numbers)
// and GreyEndtimeData as epoch milliseconds in a string; an empty string
// as null. A client must read both dialects the same.

// sdkLenientBody rewrites one answer body into the dialect; a body that is
// not a JSON object is returned unchanged.
func sdkLenientBody(body []byte, zone *time.Location) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return body
	}
	out, err := json.Marshal(sdkLenientValue("", doc, zone))
	if err != nil {
		return body
	}
	return out
}

// sdkLenientValue rewrites the value of key (the innermost object key).
func sdkLenientValue(key string, v any, zone *time.Location) any {
	switch x := v.(type) {
	case map[string]any:
		for k, elem := range x {
			x[k] = sdkLenientValue(k, elem, zone)
		}
		return x
	case []any:
		for i, elem := range x {
			x[i] = sdkLenientValue(key, elem, zone)
		}
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case string:
		return sdkLenientString(key, x, zone)
	}
	return v
}

func sdkLenientString(key, s string, zone *time.Location) any {
	if s == "" {
		return nil
	}
	switch key {
	case "FileSize":
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return json.Number(s)
		}
	case "GmtCreate", "GmtModified", "GreyEndtimeData":
		t, err := time.ParseInLocation(mpaas.GmtLayout, s, zone)
		if err != nil {
			return s
		}
		if key == "GreyEndtimeData" {
			return strconv.FormatInt(t.UnixMilli(), 10)
		}
		return json.Number(strconv.FormatInt(t.UnixMilli(), 10))
	}
	return s
}

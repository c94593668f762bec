package mpaas

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // LoadServiceTimeZone works where the system has no zone database
)

// LoadServiceTimeZone returns the zone named by an IANA name such as
// "Asia/Shanghai" or "UTC" ("" gives DefaultServiceTimeZone). "Local" is
// refused: the service's zone does not depend on the machine.
func LoadServiceTimeZone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultServiceTimeZone
	}
	zone, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA time zone name such as %q or \"UTC\"", name, DefaultServiceTimeZone)
	}
	return zone, nil
}

// serviceTimes encodes and decodes the service's zone-less times in one
// zone: every such time goes through it.
type serviceTimes struct{ zone *time.Location }

// encode formats t for GreyEndtimeData.
func (st serviceTimes) encode(t time.Time) string {
	return t.In(st.zone).Format(GreyEndtimeLayout)
}

// decode reads a GreyEndtimeData or GmtCreate, returned in UTC: GmtLayout
// in the service's zone, epoch milliseconds, or RFC 3339 (GmtLayout's
// comment in inferred.go says why each).
func (st serviceTimes) decode(text string) (time.Time, error) {
	text = strings.TrimSpace(text)
	if millis, ok := epochMillis(text); ok {
		return time.UnixMilli(millis).UTC(), nil
	}
	t, err := time.ParseInLocation(GmtLayout, text, st.zone)
	if err != nil {
		if zoned, rfcErr := time.Parse(time.RFC3339, text); rfcErr == nil {
			return zoned.UTC(), nil
		}
	}
	return t.UTC(), err
}

// epochMillis reads a time sent as epoch milliseconds: a positive whole
// number (the literal of a JSON number, 1751594649000 or 1.751594649e12, or
// a numeric string).
func epochMillis(text string) (int64, bool) {
	if text == "" || strings.ContainsAny(text, "-: ") {
		return 0, false
	}
	millis, ok := parseIntegral(text)
	return millis, ok && millis > 0
}

// rfc3339 converts a GmtCreate to RFC 3339 in UTC, or returns it unchanged
// when it has another format.
func (st serviceTimes) rfc3339(gmt string) string {
	parsed, err := st.decode(gmt)
	if err != nil {
		return gmt
	}
	return parsed.Format(time.RFC3339)
}

package mpaas

import (
	"fmt"
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

// decode reads a GreyEndtimeData or GmtCreate, returned in UTC.
func (st serviceTimes) decode(text string) (time.Time, error) {
	t, err := time.ParseInLocation(GmtLayout, text, st.zone)
	return t.UTC(), err
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

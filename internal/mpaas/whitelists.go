package mpaas

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// WhitelistType says how a whitelist's members match a user: exactly, or as
// regular expressions. Its wire codes are in inferred.go.
type WhitelistType string

const (
	WhitelistNormal WhitelistType = "normal" // exact user IDs
	WhitelistRegex  WhitelistType = "regex"  // a user matches any of the expressions
)

// Whitelist is a whitelist as the API lists it. Its members cannot be read
// back: no action lists them, only their count.
type Whitelist struct {
	ID          int64
	Name        string
	Type        WhitelistType // "" when TypeCode is a code the client does not know
	TypeCode    string        // WhitelistType as the service sent it
	MemberCount int64
}

// ErrMembersRefused is returned (wrapped) when the service added only some
// of the values it was sent.
var ErrMembersRefused = errors.New("the service refused some whitelist values")

// ListWhitelists returns every whitelist whose name matches name ("" for
// all), following pages of 100 until the list is complete.
func (c *Client) ListWhitelists(ctx context.Context, name string) ([]Whitelist, error) {
	return listAll(ctx, ActionListWhitelists, func(w Whitelist) string { return strconv.FormatInt(w.ID, 10) },
		func(ctx context.Context, page int32) ([]Whitelist, listPaging, error) {
			return c.sendListWhitelists(ctx, name, page, listAllPageSize)
		})
}

// FindWhitelist returns the whitelist with this ID, or nil, nil when a
// complete listing does not hold it (there is no single-whitelist Get).
func (c *Client) FindWhitelist(ctx context.Context, id int64) (*Whitelist, error) {
	lists, err := c.ListWhitelists(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range lists {
		if lists[i].ID == id {
			return &lists[i], nil
		}
	}
	return nil, nil
}

// CreateWhitelist creates an empty whitelist and returns its ID. The API has
// no client tokens: the whitelists of this name are listed first, and after
// an ambiguous failure a new one of this name and type is taken as the one
// created before the create is sent again.
func (c *Client) CreateWhitelist(ctx context.Context, name string, kind WhitelistType) (int64, error) {
	code, err := whitelistTypeCode(kind)
	if err != nil {
		return 0, err
	}
	before, err := c.whitelistIDsNamed(ctx, name)
	if err != nil {
		return 0, err
	}
	var id int64
	err = createIdempotently(
		func() (err error) { id, err = c.sendCreateWhitelist(ctx, name, code); return err },
		func() (bool, error) {
			lists, err := c.ListWhitelists(ctx, name)
			for _, w := range lists {
				if w.Name == name && w.TypeCode == code && !before[w.ID] {
					id = w.ID
					return true, nil
				}
			}
			return false, err
		})
	return id, err
}

func (c *Client) whitelistIDsNamed(ctx context.Context, name string) (map[int64]bool, error) {
	lists, err := c.ListWhitelists(ctx, name)
	if err != nil {
		return nil, err
	}
	ids := make(map[int64]bool, len(lists))
	for _, w := range lists {
		if w.Name == name {
			ids[w.ID] = true
		}
	}
	return ids, nil
}

// AddWhitelistMembers adds values to a whitelist: in the request
// (KeyIds) when they are few and have no comma, otherwise as a file of one
// value per line uploaded through GetMcubeFileToken (OssUrl), written from
// values as it is sent (inferred.go, whitelistInline). Adding a value that is
// already there changes nothing, so an ambiguous failure is sent again.
func (c *Client) AddWhitelistMembers(ctx context.Context, id int64, values []string) error {
	if len(values) == 0 {
		return nil
	}
	for _, v := range values {
		if err := checkWhitelistValue(v); err != nil {
			return err
		}
	}
	keyIDs, ossURL := "", ""
	if whitelistInline(values) {
		keyIDs = strings.Join(values, ",")
	} else {
		var err error
		if ossURL, err = c.uploadWhitelistFile(ctx, id, values); err != nil {
			return err
		}
	}
	return sendAgainIfAmbiguous(func() error {
		info, err := c.sendUpdateWhitelist(ctx, id, keyIDs, ossURL)
		if err == nil && info != nil && info.FailNum.int64Value() > 0 {
			return fmt.Errorf("%w: %d of %d not added to whitelist %d: %s", ErrMembersRefused, info.FailNum.int64Value(), len(values), id, string(info.FailUserIds))
		}
		return err
	})
}

// RemoveWhitelistMember removes one value from a whitelist
// (DeleteMdsWhitelistContent takes one value per call).
func (c *Client) RemoveWhitelistMember(ctx context.Context, id int64, value string) error {
	return sendAgainIfAmbiguous(func() error { return c.sendDeleteWhitelistContent(ctx, id, value) })
}

// DeleteWhitelist deletes a whitelist and its members.
func (c *Client) DeleteWhitelist(ctx context.Context, id int64) error {
	return sendAgainIfAmbiguous(func() error { return c.sendDeleteWhitelist(ctx, id) })
}

// sendAgainIfAmbiguous sends a write whose repetition changes nothing again
// after an ambiguous failure, at most createAttempts times in all.
func sendAgainIfAmbiguous(send func() error) error {
	var err error
	for attempt := 0; attempt < createAttempts; attempt++ {
		if err = send(); err == nil || !IsAmbiguous(err) {
			return err
		}
	}
	return err
}

// checkWhitelistValue refuses a value the wire cannot carry as one value.
func checkWhitelistValue(v string) error {
	switch {
	case v == "":
		return errors.New("a whitelist value must not be empty")
	case strings.ContainsAny(v, "\r\n"):
		return fmt.Errorf("whitelist value %q must be one line", v)
	}
	return nil
}

// uploadWhitelistFile uploads values as a file of one value per line. The
// file is produced from values on each read (and again for each attempt),
// never built in memory.
func (c *Client) uploadWhitelistFile(ctx context.Context, id int64, values []string) (string, error) {
	size := int64(0)
	for _, v := range values {
		size += int64(len(v)) + 1
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(&linesReader{lines: values}), nil }
	return c.UploadFile(ctx, whitelistFileName(id), size, open)
}

// linesReader reads lines as "line\n" each, one after the other.
type linesReader struct {
	lines   []string
	current string // what is left of the line being read, its "\n" included
}

func (r *linesReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if r.current == "" {
			if len(r.lines) == 0 {
				break
			}
			r.current, r.lines = r.lines[0]+"\n", r.lines[1:]
		}
		copied := copy(p[n:], r.current)
		r.current = r.current[copied:]
		n += copied
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

func whitelistTypeCode(t WhitelistType) (string, error) {
	if code, ok := whitelistTypeCodes[t]; ok {
		return code, nil
	}
	return "", fmt.Errorf("unknown whitelist type %q", t)
}

// WhitelistTypeOf maps a WhitelistType wire code (inferred.go) to a type.
func WhitelistTypeOf(code string) (WhitelistType, error) {
	for t, c := range whitelistTypeCodes {
		if strings.EqualFold(c, strings.TrimSpace(code)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown WhitelistType code %q", code)
}

// WhitelistTypeCode is the wire code of a whitelist type ("" for an unknown one).
func WhitelistTypeCode(t WhitelistType) string { return whitelistTypeCodes[t] }

// whitelistInline says whether values go in the request (KeyIds) rather
// than as a file (inferred.go).
func whitelistInline(values []string) bool {
	if len(values) > whitelistInlineValues {
		return false
	}
	size := 0
	for _, v := range values {
		if strings.Contains(v, ",") {
			return false
		}
		size += len(v) + 1
	}
	return size <= whitelistInlineBytes
}

func whitelistFileName(id int64) string { return "whitelist-" + strconv.FormatInt(id, 10) + ".txt" }

// WhitelistPattern compiles a regex whitelist member so that it matches a
// whole user ID (inferred.go). Go's syntax (RE2) is a subset of Java's: an
// expression with look-around or back-references is refused here although
// the service may take it.
func WhitelistPattern(expr string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(expr); err != nil {
		return nil, err // names the expression as written
	}
	return regexp.Compile(whitelistPatternPrefix + expr + whitelistPatternSuffix)
}

package mpaas

import (
	"errors"
	"testing"
)

// TestCreateIdempotentlyBounds pins the bounds DESIGN.md section 7.2 states:
// at most createAttempts sends, each ambiguous one followed by at most
// lookupAttempts lookups, and the ambiguous error when nothing decides it.
func TestCreateIdempotentlyBounds(t *testing.T) {
	ambiguous := &AmbiguousError{Action: "CreateMcubeNebulaApp", Err: errors.New("connection reset")}
	lookupFailed := errors.New("lookup failed")
	for _, tc := range []struct {
		name                 string
		exists               func(n int) (bool, error)
		wantCreates, wantLUs int
		wantErr              error
	}{
		{"never there: three sends", func(int) (bool, error) { return false, nil }, createAttempts, createAttempts, ambiguous},
		{"lookups fail: one send, three lookups", func(int) (bool, error) { return false, lookupFailed }, 1, lookupAttempts, ambiguous},
		{"found by the second lookup", func(n int) (bool, error) {
			if n == 1 {
				return false, lookupFailed
			}
			return true, nil
		}, 1, 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			creates, lookups := 0, 0
			err := createIdempotently(func() error {
				creates++
				if creates > 10 {
					t.Fatal("create sent more than 10 times")
				}
				return ambiguous
			}, func() (bool, error) {
				lookups++
				if lookups > 10 {
					t.Fatal("looked up more than 10 times")
				}
				return tc.exists(lookups)
			})
			if !errors.Is(err, tc.wantErr) || creates != tc.wantCreates || lookups != tc.wantLUs {
				t.Fatalf("err %v after %d creates and %d lookups; want %v after %d and %d", err, creates, lookups, tc.wantErr, tc.wantCreates, tc.wantLUs)
			}
		})
	}
	// A clear answer is returned at once, without lookups.
	refused := errors.New("refused")
	if err := createIdempotently(func() error { return refused }, func() (bool, error) { t.Fatal("looked up"); return false, nil }); !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the refusal", err)
	}
}

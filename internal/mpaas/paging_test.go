package mpaas

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// TestListAllGivesUpAfterMaxListPages: a server that always answers a new
// page with HasMore is followed for exactly maxListPages pages, then the
// list fails instead of looping forever.
func TestListAllGivesUpAfterMaxListPages(t *testing.T) {
	more := true
	fetches := 0
	items, err := listAll(context.Background(), "ListEndless", func(s string) string { return s },
		func(_ context.Context, page int32) ([]string, listPaging, error) {
			fetches++
			return []string{strconv.Itoa(int(page))}, listPaging{HasMore: flexBoolOf(more)}, nil
		})
	if err == nil || !strings.Contains(err.Error(), "still more results after 10000 pages") || items != nil {
		t.Fatalf("listAll = %d items, %v; want the give-up error", len(items), err)
	}
	if fetches != maxListPages {
		t.Fatalf("%d pages fetched, want %d", fetches, maxListPages)
	}
}

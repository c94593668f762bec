package mpaas

import (
	"context"
	"fmt"
)

// listAllPageSize is the page size the List* methods ask for.
const listAllPageSize int32 = 100

// maxListPages bounds the List* methods against a server that never stops
// sending pages.
const maxListPages = 10000

// pageAnswer is one page of a list as the pager judges it.
type pageAnswer struct {
	listPaging
	items   int // items on the page
	fresh   int // items not seen on an earlier page
	listed  int // items listed so far, this page included
	largest int // the largest page so far, this page included
}

// listAll follows the pages of one list action until morePages says the
// list is complete. key identifies an item: an item seen on an earlier page
// (the list shifted while it was read) is kept once.
func listAll[T any](ctx context.Context, action string, key func(T) string,
	fetch func(ctx context.Context, page int32) ([]T, listPaging, error)) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	largest := 0
	for page := int32(1); ; page++ {
		if page > maxListPages {
			return nil, fmt.Errorf("mPaaS API %s: still more results after %d pages; giving up", action, maxListPages)
		}
		items, paging, err := fetch(ctx, page)
		if err != nil {
			return nil, err
		}
		answer := pageAnswer{listPaging: paging, items: len(items)}
		for _, item := range items {
			if k := key(item); !seen[k] {
				seen[k] = true
				all = append(all, item)
				answer.fresh++
			}
		}
		largest = max(largest, len(items))
		answer.listed, answer.largest = len(all), largest
		if !morePages(answer) {
			return all, nil
		}
	}
}

package emulator

import (
	"strings"
	"time"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Quirks make the emulator answer the way the real service might where its
// behaviour is undocumented (DESIGN.md section 6.1), so that tests can show
// the client does not depend on the emulator's own guesses. The zero value
// changes nothing.
type Quirks struct {
	// OmitPaging leaves CurrentPage, PageSize, TotalCount and HasMore out of
	// ListMcubeNebulaApps and ListMcubeNebulaResources answers.
	OmitPaging bool
	// KeywordIgnoresIDs makes ListMcubeNebulaApps match Keyword against H5App
	// names only, never against H5App IDs.
	KeywordIgnoresIDs bool
	// NotFoundAsEmptyObject answers GetMcubeNebulaResource and
	// GetMcubeNebulaTaskDetail for an object that does not exist with
	// Success=true and an empty (all zero) object instead of an error code.
	NotFoundAsEmptyObject bool
	// UnlistedCalls leaves each package out of the first UnlistedCalls
	// ListMcubeNebulaResources answers that would list it, as a list served
	// from an index that lags the write would (whether the service's does
	// is unknown, DESIGN.md section 6.1). GetMcubeNebulaResource finds it
	// at once.
	UnlistedCalls int
	// UnlistedFor leaves each package out of ListMcubeNebulaResources
	// answers until this long after its creation (its GmtCreate, to the
	// second).
	UnlistedFor time.Duration
	// SDKLenient answers every API call in the SDK-lenient dialect
	// (dialect.go): the same keys, with numbers as strings, FileSize as a
	// number, bools as strings, times as epoch milliseconds and empty
	// strings as null.
	SDKLenient bool
}

// pagingKeys is the paging block of a list answer, or nil under OmitPaging.
func (c *call) pagingKeys(pageNum, pageSize, total int64, hasMore bool) *ListPaging {
	if c.s.opts.Quirks.OmitPaging {
		return nil
	}
	return &ListPaging{CurrentPage: int32(pageNum), PageSize: int32(pageSize), TotalCount: total, HasMore: hasMore}
}

// keywordMatches says whether ListMcubeNebulaApps' Keyword selects an app.
func (c *call) keywordMatches(keyword string, app *appRecord) bool {
	if keyword == "" || strings.Contains(app.H5Name, keyword) {
		return true
	}
	return !c.s.opts.Quirks.KeywordIgnoresIDs && strings.Contains(app.H5Id, keyword)
}

// unlisted reports whether a package list leaves rec out under
// Quirks.UnlistedCalls or Quirks.UnlistedFor, and counts the answer. The
// caller holds the store lock, which guards Server.unlistedAnswers.
func (c *call) unlisted(rec *resourceRecord) bool {
	q := c.s.opts.Quirks
	if q.UnlistedFor > 0 {
		created, err := time.ParseInLocation(mpaas.GmtLayout, rec.Item.GmtCreate, c.s.opts.TimeZone)
		if err == nil && c.now.Sub(created) < q.UnlistedFor {
			return true
		}
	}
	if c.s.unlistedAnswers[rec.Item.ID] < q.UnlistedCalls {
		c.s.unlistedAnswers[rec.Item.ID]++
		return true
	}
	return false
}

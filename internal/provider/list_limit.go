package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// cutShort describes the results a list block's limit leaves out: how many
// (left), and whether more could exist that were not read (atLeast).
type cutShort struct {
	what    string // plural noun, such as "H5Apps"
	order   string // how the results are ordered, such as "by H5App ID"
	limit   int64
	left    int
	atLeast bool
	hint    string // how to narrow the query, such as "set name_regex or h5app_ids"
}

// warning is the result that says the query was cut short. It comes before
// the first result: Terraform stops reading the stream once it holds limit
// results, so a warning after them would never be read.
func (c cutShort) warning() list.ListResult {
	count := fmt.Sprintf("%d more %s match", c.left, c.what)
	if c.atLeast {
		count = fmt.Sprintf("at least %d more %s match (the rest were not read)", c.left, c.what)
	}
	return list.ListResult{Diagnostics: diag.Diagnostics{diag.NewWarningDiagnostic(
		fmt.Sprintf("Query cut short by limit = %d", c.limit),
		fmt.Sprintf("This list block returns the first %d %s (%s), and %s. Raise limit in the list block to adopt them, or %s.",
			c.limit, c.what, c.order, count, c.hint))}}
}

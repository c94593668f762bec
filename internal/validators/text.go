package validators

import (
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = printableValidator{}

type printableValidator struct{ maxLength int }

// PrintableText requires a non-blank, valid UTF-8 string with no control
// characters, at most maxLength characters long.
func PrintableText(maxLength int) validator.String { return printableValidator{maxLength: maxLength} }

func (v printableValidator) Description(_ context.Context) string {
	return fmt.Sprintf("must be 1 to %d printable characters", v.maxLength)
}

func (v printableValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v printableValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckPrintable(req.ConfigValue.ValueString(), v.maxLength); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid text", msg)
	}
}

// CheckPrintable returns why s is not acceptable printable text, or "".
func CheckPrintable(s string, maxLength int) string {
	if !utf8.ValidString(s) {
		return "The value is not valid UTF-8 text."
	}
	blank := true
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("The value contains the control character %U; remove it (tabs and line breaks are not allowed either).", r)
		}
		if !unicode.IsSpace(r) {
			blank = false
		}
	}
	if blank {
		return "The value must not be empty or only spaces."
	}
	if n := utf8.RuneCountInString(s); n > maxLength {
		return fmt.Sprintf("The value is %d characters long; shorten it to at most %d.", n, maxLength)
	}
	return ""
}

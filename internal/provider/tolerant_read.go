package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
)

// Tolerant reads: a value mPaaS reports that the provider cannot read (an
// unknown wire code, inferred in internal/mpaas/inferred.go, or an
// unexpected format) never fails a refresh. The attribute keeps the value it
// had, so nothing is planned because of it, and one warning names the wire
// field and the value. Where there is no earlier value (after an import), an
// enum attribute holds the raw code instead; since a configuration can only
// hold a valid name, that code then plans an in-place update which records
// the configured name without an API call (planmodifiers.ReplaceUnlessRawCode).

// keptValue is one attribute a read did not overwrite.
type keptValue struct {
	attribute string
	value     attr.Value
}

// keepString is the value a string attribute keeps: its earlier value, or
// the raw code when it had none.
func keepString(attribute string, earlier types.String, code string) (types.String, keptValue) {
	if !isKnown(earlier) {
		earlier = types.StringValue(code)
	}
	return earlier, keptValue{attribute: attribute, value: earlier}
}

// warnUndecoded adds the one warning of a field that could not be read.
// imported says that the state held nothing before this read.
func warnUndecoded(diags *diag.Diagnostics, object string, field mpaas.FieldDecodeError, imported bool, kept ...keptValue) {
	var keeps []string
	for _, k := range kept {
		keeps = append(keeps, k.attribute+" = "+k.value.String())
	}
	outcome := "its value before this read, so no change is planned because of it"
	if imported {
		outcome = "the raw code, or null, since nothing was known before this import: configure the value the mPaaS " +
			"console shows; a raw code is then replaced by the configured value in place, without a call to mPaaS"
	}
	attribute := path.Empty()
	if len(kept) > 0 {
		attribute = path.Root(kept[0].attribute)
	}
	diags.AddAttributeWarning(attribute, "Unknown "+field.Field+" from mPaaS: value kept",
		fmt.Sprintf("mPaaS reported %s %q for %s, which this version of the provider cannot read (%v). The state keeps %s: "+
			"%s. The refresh goes on. The codes of this field are inferred (DESIGN.md, section 6.1, in the provider's "+
			"repository); if mPaaS uses a new code, a newer provider version will read it.",
			field.Field, field.Code, object, field.Err, strings.Join(keeps, ", "), outcome))
}

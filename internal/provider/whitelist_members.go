package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mpaas-tf/terraform-provider-mpaas/internal/mpaas"
	"github.com/mpaas-tf/terraform-provider-mpaas/internal/validators"
)

// maxWhitelistMember bounds one member. [INFERRED] unpublished; the emulator's limit.
const maxWhitelistMember = 1024

// checkWhitelistMember says what is wrong with one member of a whitelist
// of this type (summary "" when nothing).
func checkWhitelistMember(kind mpaas.WhitelistType, member string) (summary, detail string) {
	if msg := validators.CheckPrintable(member, maxWhitelistMember); msg != "" {
		return "Invalid whitelist member", msg
	}
	if strings.TrimSpace(member) != member {
		return "Invalid whitelist member", fmt.Sprintf("%q has spaces around it, which the service drops: write %q.", member, strings.TrimSpace(member))
	}
	switch kind {
	case mpaas.WhitelistNormal:
		if strings.Contains(member, ",") {
			return "Invalid whitelist member", fmt.Sprintf("%q holds a comma: a normal whitelist's member is one user ID; "+
				"write each user as its own member (%s).", member, strings.Join(strings.Split(member, ","), ", "))
		}
	case mpaas.WhitelistRegex:
		if _, err := mpaas.WhitelistPattern(member); err != nil {
			return "Invalid regular expression", fmt.Sprintf("%q is not a regular expression in RE2 syntax: %v. "+
				"A user is in the whitelist when its whole ID matches; look-arounds and back-references are not supported.", member, err)
		}
	}
	return "", ""
}

// changeMembers adds the planned members the state lacks and removes the
// state's members the plan lacks, and returns the members the whitelist
// then holds as far as Terraform knows. A null state (after an import)
// holds unknown values: every planned member is sent and none removed.
func (r *whitelistResource) changeMembers(ctx context.Context, id int64, stateMembers types.Set, planned []string, diags *diagnostics) []string {
	held := map[string]bool{}
	for _, m := range setStrings(stateMembers) {
		held[m] = true
	}
	var added []string
	for _, m := range planned {
		if !held[m] {
			added = append(added, m)
		}
	}
	client := r.data.client
	if err := client.AddWhitelistMembers(ctx, id, added); err != nil {
		diags.AddAttributeError(path.Root("members"), "Cannot add whitelist members", apiErrorDetail(err))
	} else {
		for _, m := range added {
			held[m] = true
		}
	}
	plannedSet := map[string]bool{}
	for _, m := range planned {
		plannedSet[m] = true
	}
	for _, m := range sortedKeys(held) {
		if plannedSet[m] {
			continue
		}
		if err := client.RemoveWhitelistMember(ctx, id, m); err != nil {
			diags.AddAttributeError(path.Root("members").AtSetValue(types.StringValue(m)), "Cannot remove a whitelist member", apiErrorDetail(err))
			continue
		}
		delete(held, m)
	}
	return sortedKeys(held)
}

// setStrings returns a set of strings' known values, sorted (nil for a null set).
func setStrings(set types.Set) []string {
	if !isKnown(set) {
		return nil
	}
	var out []string
	for _, element := range set.Elements() {
		if s, ok := element.(types.String); ok && isKnown(s) {
			out = append(out, s.ValueString())
		}
	}
	sort.Strings(out)
	return out
}

// membersValue is the state value of the members Terraform knows of.
func membersValue(members []string) types.Set {
	values := make([]attr.Value, len(members))
	for i, m := range members {
		values[i] = types.StringValue(m)
	}
	set, _ := types.SetValue(types.StringType, values)
	return set
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

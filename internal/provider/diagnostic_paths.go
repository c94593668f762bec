package provider

import "github.com/hashicorp/terraform-plugin-framework/path"

// nestedAttributePath is the path to report a problem with the attribute
// name of the object attribute parent (such as android.max_version).
//
// Terraform (1.11 to at least 1.14) finds the source line of a diagnostic by
// walking its path through nested blocks only: a path that steps into an
// object attribute (parent.name) is shown on the whole resource block. A
// final index step (parent["name"]) is resolved through the object
// expression instead, so Terraform underlines `name = value` itself. The
// path therefore ends with a string index step on purpose; the detail of
// every such diagnostic also spells out parent.name.
func nestedAttributePath(parent, name string) path.Path {
	return path.Root(parent).AtMapKey(name)
}

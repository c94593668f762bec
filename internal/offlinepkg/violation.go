package offlinepkg

import (
	"fmt"
	"strings"
)

// maxExamples is how many offending entries one violation lists.
const maxExamples = 5

// Violation is one thing wrong with a package, blamed on one attribute.
type Violation struct {
	Rule      string // "R7", "R9", "R15", "layout" or "bomb"
	Attribute string // Terraform attribute to blame: "source", "main_url" or "resource_type"
	Entry     string // the (first) offending entry name, may be ""
	Message   string // full sentence(s): what is wrong and what to change
}

// String formats the violation for logs and combined error messages.
func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s", v.Attribute, v.Rule, v.Message)
}

// finding gathers the entries that break one rule, keeping a few examples.
type finding struct {
	n        int
	examples []string
}

func (f *finding) add(example string) {
	f.n++
	if len(f.examples) < maxExamples {
		f.examples = append(f.examples, example)
	}
}

// list renders `"a", "b" and 3 more`.
func (f *finding) list() string {
	q := make([]string, len(f.examples))
	for i, e := range f.examples {
		q[i] = fmt.Sprintf("%q", e)
	}
	s := strings.Join(q, ", ")
	if more := f.n - len(f.examples); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}

func (f *finding) first() string {
	if len(f.examples) == 0 {
		return ""
	}
	return f.examples[0]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

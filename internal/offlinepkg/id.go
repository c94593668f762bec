// Package offlinepkg holds the rules of mPaaS offline packages that both the
// provider (at plan time) and the emulator (at request time) enforce: H5App
// IDs, package and client versions, zip layout, and streaming hashes.
package offlinepkg

import "strings"

// ReservedH5AppIDs belong to the mPaaS client SDK's own packages (R3).
var ReservedH5AppIDs = []string{"20000196", "66666692", "68687029", "68687209"}

// ForbiddenH5AppIDPrefixes must not start an H5App ID (R4).
var ForbiddenH5AppIDPrefixes = []string{"666666", "20000"}

// IDProblem is one broken H5App ID rule.
type IDProblem struct {
	Rule    string // "R2", "R3" or "R4"
	Message string // completes "H5App ID %q ..."
}

// CheckH5AppID returns every rule (R2-R4) the ID breaks, in rule order.
func CheckH5AppID(id string) []IDProblem {
	var problems []IDProblem
	if !isEightDigits(id) {
		problems = append(problems, IDProblem{Rule: "R2", Message: "must be exactly 8 digits (0-9), such as 12345678"})
	}
	for _, reserved := range ReservedH5AppIDs {
		if id == reserved {
			problems = append(problems, IDProblem{Rule: "R3", Message: "is reserved by the mPaaS client SDK for its built-in packages (20000196, 66666692, 68687029, 68687209); choose another ID"})
		}
	}
	for _, prefix := range ForbiddenH5AppIDPrefixes {
		if strings.HasPrefix(id, prefix) {
			problems = append(problems, IDProblem{Rule: "R4", Message: "must not start with " + prefix + " (IDs starting with 666666 or 20000 are kept for the mPaaS client SDK); choose another ID"})
		}
	}
	return problems
}

// ValidH5AppID reports whether the ID breaks none of R2-R4, and the first reason if it does.
func ValidH5AppID(id string) (bool, string) {
	problems := CheckH5AppID(id)
	if len(problems) == 0 {
		return true, ""
	}
	return false, "H5App ID " + quote(id) + " " + problems[0].Message
}

func isEightDigits(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func quote(s string) string { return `"` + s + `"` }

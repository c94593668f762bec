package mpaas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// EncodeGreyConfig turns rules into the GreyConfigInfo JSON array string:
// [{"ruleElement":"city","operation":1,"value":"a,b"}] or, for ranges,
// {"ruleElement":"osVersion","operation":3,"value":"lo-hi","value1":"lo","value2":"hi"}.
// No rules give "".
func EncodeGreyConfig(rules []ReleaseRule) (string, error) {
	if len(rules) == 0 {
		return "", nil
	}
	out := make([]greyConfigRule, 0, len(rules))
	for i, r := range rules {
		element, ok := ruleElementCodes[r.Element]
		if !ok {
			return "", fmt.Errorf("rule %d: unknown element %q", i+1, r.Element)
		}
		op, ok := ruleOperationCodes[r.Operator]
		if !ok {
			return "", fmt.Errorf("rule %d: unknown operator %q", i+1, r.Operator)
		}
		g := greyConfigRule{RuleElement: element, Operation: json.RawMessage(strconv.Itoa(op))}
		if r.IsRange() {
			if len(r.Values) != 2 {
				return "", fmt.Errorf("rule %d: %s needs exactly two values, got %d", i+1, r.Operator, len(r.Values))
			}
			g.Value = r.Values[0] + "-" + r.Values[1]
			g.Value1, _ = json.Marshal(r.Values[0])
			g.Value2, _ = json.Marshal(r.Values[1])
		} else {
			g.Value = strings.Join(r.Values, ",")
		}
		out = append(out, g)
	}
	raw, err := json.Marshal(out)
	return string(raw), err
}

// DecodeGreyConfig parses GreyConfigInfo ("" gives none) in either form
// the service may echo:
//
//   - the flat list the client sends, [{"ruleElement":..,"operation":1,..}];
//   - the documented Cube form {"operator":"and","subRules":[{"operator":
//     "contains","left":["Hangzhou"],"right":"city"}, {"operator":"vLimitIn",
//     "left":{"lower":"10.0","upper":"11.0"},"right":"osVersion"}]}, whose
//     sub-rules may be groups again and may name the operator as a word or a
//     number. A sub-rule in the client's own keys (ruleElement, operation or
//     operator, value) is read too.
//
// Only conjunctions (greyConfigOperatorAnd, a guess kept in inferred.go)
// describe what the client sends; any other group operator is an error
// naming it. Both forms map to the same rules.
func DecodeGreyConfig(s string) ([]ReleaseRule, error) {
	trimmed := strings.TrimSpace(s)
	if trimmed == "" {
		return nil, nil
	}
	leaves, err := flattenGreyConfig(json.RawMessage(trimmed), 0)
	if err != nil {
		return nil, fmt.Errorf("GreyConfigInfo is neither a JSON array of rules nor an {\"operator\":\"and\",\"subRules\":[...]} group: %w", err)
	}
	out := make([]ReleaseRule, 0, len(leaves))
	for i, leaf := range leaves {
		r, err := decodeGreyRule(leaf)
		if err != nil {
			return nil, fmt.Errorf("GreyConfigInfo rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// maxGreyConfigDepth bounds the nesting of rule groups.
const maxGreyConfigDepth = 8

// greyConfigGroup is the normalised form {"operator":"and","subRules":[...]}.
type greyConfigGroup struct {
	Operator json.RawMessage   `json:"operator"`
	SubRules []json.RawMessage `json:"subRules"`
}

// flattenGreyConfig returns the rules of a list or group, groups flattened.
func flattenGreyConfig(raw json.RawMessage, depth int) ([]json.RawMessage, error) {
	if depth > maxGreyConfigDepth {
		return nil, fmt.Errorf("rule groups nested deeper than %d", maxGreyConfigDepth)
	}
	trimmed := strings.TrimSpace(string(raw))
	switch {
	case strings.HasPrefix(trimmed, "["):
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		return flattenGreyItems(items, depth)
	case strings.HasPrefix(trimmed, "{"):
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			return nil, err
		}
		if hasKey(keys, "ruleElement") || hasKey(keys, cubeKeyRight) {
			return []json.RawMessage{raw}, nil
		}
		if !hasKey(keys, cubeKeySubRules) {
			return nil, fmt.Errorf("object %s has neither ruleElement, %s nor %s", snippet(raw, 80), cubeKeyRight, cubeKeySubRules)
		}
		var group greyConfigGroup
		if err := json.Unmarshal(raw, &group); err != nil {
			return nil, err
		}
		if op := unquote(group.Operator); op != "" && !strings.EqualFold(op, greyConfigOperatorAnd) {
			return nil, fmt.Errorf("rule group operator %q is not %q: only rules that must all hold can be read", op, greyConfigOperatorAnd)
		}
		return flattenGreyItems(group.SubRules, depth)
	}
	return nil, fmt.Errorf("%s is not a JSON array or object", snippet(raw, 80))
}

func flattenGreyItems(items []json.RawMessage, depth int) ([]json.RawMessage, error) {
	var leaves []json.RawMessage
	for _, item := range items {
		flat, err := flattenGreyConfig(item, depth+1)
		if err != nil {
			return nil, err
		}
		leaves = append(leaves, flat...)
	}
	return leaves, nil
}

// hasKey reports whether keys holds name, case-insensitively as
// encoding/json matches struct fields.
func hasKey(keys map[string]json.RawMessage, name string) bool {
	for key := range keys {
		if strings.EqualFold(key, name) {
			return true
		}
	}
	return false
}

// greyConfigRuleIn is one rule as read back: the operator in "operation"
// (the client's key) or "operator", values as text or a JSON array.
type greyConfigRuleIn struct {
	RuleElement string          `json:"ruleElement"`
	Operation   json.RawMessage `json:"operation"`
	Operator    json.RawMessage `json:"operator"`
	Value       json.RawMessage `json:"value"`
	Value1      json.RawMessage `json:"value1"`
	Value2      json.RawMessage `json:"value2"`
	Left        json.RawMessage `json:"left"`
	Right       json.RawMessage `json:"right"`
}

func decodeGreyRule(raw json.RawMessage) (ReleaseRule, error) {
	var in greyConfigRuleIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return ReleaseRule{}, err
	}
	if isJSONValue(in.Right) {
		return decodeCubeRule(in)
	}
	operation := unquote(in.Operation)
	if operation == "" {
		operation = unquote(in.Operator)
	}
	r, err := ruleNames(in.RuleElement, operation)
	if err != nil {
		return r, err
	}
	if isJSONValue(in.Value1) || isJSONValue(in.Value2) {
		r.Values = []string{unquote(in.Value1), unquote(in.Value2)}
		return r, checkRangeValues(r)
	}
	var list []string
	if json.Unmarshal(in.Value, &list) == nil && list != nil {
		r.Values = list
		return r, checkRangeValues(r)
	}
	return splitRuleValue(r, unquote(in.Value))
}

// isJSONValue reports whether raw holds a value other than null.
func isJSONValue(raw json.RawMessage) bool {
	text := strings.TrimSpace(string(raw))
	return text != "" && text != "null"
}

// decodeRule reads one rule from its wire element, operation and value
// ("a,b", or "lo-hi" for a range).
func decodeRule(elementCode, operationCode, value string) (ReleaseRule, error) {
	r, err := ruleNames(elementCode, operationCode)
	if err != nil {
		return r, err
	}
	return splitRuleValue(r, value)
}

// ruleNames reads a rule's element and operator.
func ruleNames(elementCode, operationCode string) (ReleaseRule, error) {
	var r ReleaseRule
	for name, code := range ruleElementCodes {
		if strings.EqualFold(code, strings.TrimSpace(elementCode)) {
			r.Element = name
		}
	}
	if r.Element == "" {
		return r, fmt.Errorf("unknown ruleElement %q", elementCode)
	}
	operator, err := ruleOperatorName(operationCode)
	r.Operator = operator
	return r, err
}

// ruleOperatorName reads an operation code (1..4) or an operator word.
func ruleOperatorName(operationCode string) (string, error) {
	text := strings.TrimSpace(operationCode)
	if text == "" {
		return "", fmt.Errorf("rule has no operation")
	}
	if op, err := strconv.Atoi(text); err == nil {
		for name, code := range ruleOperationCodes {
			if code == op {
				return name, nil
			}
		}
		return "", fmt.Errorf("unknown operation %d", op)
	}
	word := strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(text))
	if name, ok := ruleOperatorWords[word]; ok {
		return name, nil
	}
	return "", fmt.Errorf("unknown operation %q", text)
}

// splitRuleValue sets the values of r from the wire text: "lo-hi" for a
// range, a comma list otherwise.
func splitRuleValue(r ReleaseRule, value string) (ReleaseRule, error) {
	if r.IsRange() {
		lo, hi, ok := strings.Cut(value, "-")
		if !ok {
			return r, fmt.Errorf("range value %q is not lo-hi", value)
		}
		r.Values = []string{lo, hi}
		return r, nil
	}
	r.Values = strings.Split(value, ",")
	return r, nil
}

func checkRangeValues(r ReleaseRule) error {
	if r.IsRange() && len(r.Values) != 2 {
		return fmt.Errorf("%s needs exactly two values, got %d", r.Operator, len(r.Values))
	}
	return nil
}

func unquote(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// cubeRange is the left side of a range rule in the Cube form.
type cubeRange struct {
	Lower json.RawMessage `json:"lower"`
	Upper json.RawMessage `json:"upper"`
}

// decodeCubeRule reads a rule of the Cube form: the element in "right", the
// operator in "operator", the values in "left" as a JSON array (of strings or
// numbers), a {"lower","upper"} range, or text ("a,b", "lo-hi").
func decodeCubeRule(in greyConfigRuleIn) (ReleaseRule, error) {
	r, err := ruleNames(unquote(in.Right), unquote(in.Operator))
	if err != nil {
		return r, err
	}
	left := strings.TrimSpace(string(in.Left))
	switch {
	case strings.HasPrefix(left, "["):
		var items []json.RawMessage
		if err := json.Unmarshal(in.Left, &items); err != nil {
			return r, fmt.Errorf("left: %w", err)
		}
		for _, item := range items {
			r.Values = append(r.Values, unquote(item))
		}
		return r, checkRangeValues(r)
	case strings.HasPrefix(left, "{"):
		var bounds cubeRange
		if err := json.Unmarshal(in.Left, &bounds); err != nil {
			return r, fmt.Errorf("left: %w", err)
		}
		if !isJSONValue(bounds.Lower) || !isJSONValue(bounds.Upper) {
			return r, fmt.Errorf("left %s needs both %s and %s", snippet(in.Left, 80), cubeKeyLower, cubeKeyUpper)
		}
		r.Values = []string{unquote(bounds.Lower), unquote(bounds.Upper)}
		return r, checkRangeValues(r)
	case !isJSONValue(in.Left):
		return r, fmt.Errorf("rule on %q has no values (left)", unquote(in.Right))
	}
	return splitRuleValue(r, unquote(in.Left))
}

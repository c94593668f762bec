package mpaas

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Release tasks in Terraform terms, and their mapping to the wire codes of
// enums.go. Like every code there, the mapping of rule elements and
// operations below is [INFERRED] (mpaas-api.md 2.8, 2.11): this file is the one
// place that turns provider names into GreyConfigInfo and back, so a
// correction against the live service is a change here only.

// Release types (PublishType).
const (
	ReleaseTypeGrayscale = "grayscale"
	ReleaseTypeOfficial  = "official"
)

// Release statuses (TaskStatus).
const (
	ReleaseStatusActive = "active"
	ReleaseStatusPaused = "paused"
	ReleaseStatusEnded  = "ended"
)

// Rule elements and operators as the provider names them.
const (
	RuleCity        = "city"
	RuleDeviceModel = "device_model"
	RuleNetwork     = "network"
	RuleOSVersion   = "os_version"

	RuleContains   = "contains"
	RuleExcludes   = "excludes"
	RuleInRange    = "in_range"
	RuleOutOfRange = "out_of_range"
)

// Error codes for a release task or package that does not exist. [INFERRED]:
// the service documents none; these are what the emulator answers.
const (
	CodeTaskNotFound     = "TASK_NOT_FOUND"
	CodeResourceNotFound = "RESOURCE_NOT_FOUND"
)

// RuleElementNames and RuleOperatorNames list the provider names in documentation order.
var (
	RuleElementNames  = []string{RuleCity, RuleDeviceModel, RuleNetwork, RuleOSVersion}
	RuleOperatorNames = []string{RuleContains, RuleExcludes, RuleInRange, RuleOutOfRange}
)

var ruleElementCodes = map[string]string{ // [INFERRED]
	RuleCity:        RuleElementCity,
	RuleDeviceModel: RuleElementMobileModel,
	RuleNetwork:     RuleElementNetType,
	RuleOSVersion:   RuleElementOsVersion,
}

var ruleOperationCodes = map[string]int{ // [INFERRED]
	RuleContains:   RuleOperationContains,
	RuleExcludes:   RuleOperationExcludes,
	RuleInRange:    RuleOperationInRange,
	RuleOutOfRange: RuleOperationOutOfRange,
}

// ReleaseTypeCode maps "grayscale"/"official" to PublishType.
func ReleaseTypeCode(name string) (int32, error) {
	switch name {
	case ReleaseTypeGrayscale:
		return PublishTypeGrayscale, nil
	case ReleaseTypeOfficial:
		return PublishTypeOfficial, nil
	}
	return 0, fmt.Errorf("unknown release type %q", name)
}

// ReleaseTypeName maps PublishType back to "grayscale"/"official".
func ReleaseTypeName(code int32) (string, error) {
	switch code {
	case PublishTypeGrayscale:
		return ReleaseTypeGrayscale, nil
	case PublishTypeOfficial:
		return ReleaseTypeOfficial, nil
	}
	return "", fmt.Errorf("unknown PublishType %d", code)
}

// ReleaseStatusCode maps "active"/"paused"/"ended" to TaskStatus.
func ReleaseStatusCode(name string) (int32, error) {
	switch name {
	case ReleaseStatusActive:
		return TaskStatusActive, nil
	case ReleaseStatusPaused:
		return TaskStatusPaused, nil
	case ReleaseStatusEnded:
		return TaskStatusEnded, nil
	}
	return 0, fmt.Errorf("unknown release status %q", name)
}

// ReleaseStatusName maps TaskStatus back to "active"/"paused"/"ended".
func ReleaseStatusName(code int32) (string, error) {
	switch code {
	case TaskStatusActive:
		return ReleaseStatusActive, nil
	case TaskStatusPaused:
		return ReleaseStatusPaused, nil
	case TaskStatusEnded:
		return ReleaseStatusEnded, nil
	}
	return "", fmt.Errorf("unknown TaskStatus %d", code)
}

// ReleaseRule is one advanced grayscale rule in provider terms. For
// in_range/out_of_range, Values is [lo, hi].
type ReleaseRule struct {
	Element  string
	Operator string
	Values   []string
}

// IsRange reports whether the operator compares against a range.
func (r ReleaseRule) IsRange() bool {
	return r.Operator == RuleInRange || r.Operator == RuleOutOfRange
}

// greyConfigRule is one element of the GreyConfigInfo JSON array.
type greyConfigRule struct {
	RuleElement string          `json:"ruleElement"`
	Operation   json.RawMessage `json:"operation"`
	Value       string          `json:"value"`
	Value1      json.RawMessage `json:"value1,omitempty"`
	Value2      json.RawMessage `json:"value2,omitempty"`
}

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

// DecodeGreyConfig parses a GreyConfigInfo JSON array string ("" gives none).
func DecodeGreyConfig(s string) ([]ReleaseRule, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var in []greyConfigRule
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("GreyConfigInfo is not a JSON array of rules: %w", err)
	}
	out := make([]ReleaseRule, 0, len(in))
	for i, g := range in {
		value := g.Value
		if len(g.Value1) > 0 || len(g.Value2) > 0 {
			value = unquote(g.Value1) + "-" + unquote(g.Value2)
		}
		r, err := decodeRule(g.RuleElement, unquote(g.Operation), value)
		if err != nil {
			return nil, fmt.Errorf("GreyConfigInfo rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// DecodeRuleJSONList parses the rules GetMcubeNebulaTaskDetail returns in
// RuleJsonList (Operation as a string, Value "a,b" or "lo-hi").
func DecodeRuleJSONList(list []RuleJson) ([]ReleaseRule, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]ReleaseRule, 0, len(list))
	for i, j := range list {
		r, err := decodeRule(j.RuleElement, j.Operation, j.Value)
		if err != nil {
			return nil, fmt.Errorf("RuleJsonList rule %d: %w", i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// TaskRules returns a task's rules: RuleJsonList when the service filled it,
// otherwise the GreyConfigInfo it echoes.
func TaskRules(detail *NebulaTaskDetail) ([]ReleaseRule, error) {
	if len(detail.RuleJsonList) > 0 {
		return DecodeRuleJSONList(detail.RuleJsonList)
	}
	return DecodeGreyConfig(detail.GreyConfigInfo)
}

func decodeRule(elementCode, operationCode, value string) (ReleaseRule, error) {
	var r ReleaseRule
	for name, code := range ruleElementCodes {
		if strings.EqualFold(code, strings.TrimSpace(elementCode)) {
			r.Element = name
		}
	}
	if r.Element == "" {
		return r, fmt.Errorf("unknown ruleElement %q", elementCode)
	}
	op, err := strconv.Atoi(strings.TrimSpace(operationCode))
	if err != nil {
		return r, fmt.Errorf("operation %q is not a number", operationCode)
	}
	for name, code := range ruleOperationCodes {
		if code == op {
			r.Operator = name
		}
	}
	if r.Operator == "" {
		return r, fmt.Errorf("unknown operation %d", op)
	}
	if r.IsRange() {
		lo, hi, ok := strings.Cut(value, "-")
		if !ok {
			return r, fmt.Errorf("range value %q is not lo-hi", value)
		}
		r.Values = []string{lo, hi}
	} else {
		r.Values = strings.Split(value, ",")
	}
	return r, nil
}

func unquote(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}

// SplitWhitelist splits WhitelistIds ("a,b") into its ids; "" gives none.
func SplitWhitelist(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}

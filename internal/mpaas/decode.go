package mpaas

import (
	"errors"
	"fmt"
	"strings"
)

// The wire fields of a package or release task whose value a read may fail
// to understand: a code the client does not know (the codes are inferred,
// inferred.go) or a value in an unexpected format. A read never fails on
// them; it names them in a DecodeError, so that a caller can keep what it
// knew before.
const (
	FieldResourceType    = "ResourceType"
	FieldPlatform        = "Platform"
	FieldExtendInfo      = "ExtendInfo"
	FieldAutoInstall     = "AutoInstall"
	FieldInstallType     = "InstallType"
	FieldPublishType     = "PublishType"
	FieldPublishMode     = "PublishMode"
	FieldTaskStatus      = "TaskStatus"
	FieldGreyEndtimeData = "GreyEndtimeData"
	FieldGreyConfigInfo  = "GreyConfigInfo"
	FieldGreyNum         = "GreyNum"
	FieldFileSize        = "FileSize"
)

// FieldDecodeError is one field the client could not read: its wire name,
// the value exactly as the service sent it, and why.
type FieldDecodeError struct {
	Field string
	Code  string
	Err   error
}

func (e FieldDecodeError) Error() string {
	return fmt.Sprintf("%s %q: %v", e.Field, e.Code, e.Err)
}

// DecodeError lists every field of one package or release task that could
// not be read. The fields it names are left at their zero values.
type DecodeError struct {
	Fields []FieldDecodeError
}

func (e *DecodeError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "cannot read " + strings.Join(parts, "; ")
}

// Field returns the entry of a wire field, if that field could not be read.
func (e *DecodeError) Field(name string) (FieldDecodeError, bool) {
	for _, f := range e.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldDecodeError{}, false
}

// add records a field that could not be read; a nil err records nothing.
func (e *DecodeError) add(field, code string, err error) {
	if err != nil {
		e.Fields = append(e.Fields, FieldDecodeError{Field: field, Code: code, Err: err})
	}
}

// orNil is e when it names a field, otherwise nil (so that callers can test
// Package.DecodeError and Release.DecodeError against nil).
func (e *DecodeError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// UndecodedFields returns the fields named by a Package's or Release's
// DecodeError (none when it is nil).
func UndecodedFields(err error) []FieldDecodeError {
	var decodeErr *DecodeError
	if errors.As(err, &decodeErr) {
		return decodeErr.Fields
	}
	return nil
}

// UndecodedField returns the error of one wire field named by a Package's
// or Release's DecodeError, or nil when that field was read.
func UndecodedField(err error, field string) error {
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) {
		return nil
	}
	if f, ok := decodeErr.Field(field); ok {
		return f
	}
	return nil
}

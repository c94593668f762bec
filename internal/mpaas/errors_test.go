package mpaas

import (
	"errors"
	"fmt"
	"testing"
)

func TestIsTransient(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("plain"), false},
		{&APIError{Code: "SignatureDoesNotMatch", HTTPStatus: 400}, false},
		{&APIError{Code: "H5APP_NOT_FOUND", HTTPStatus: 200}, false},
		{&APIError{Code: CodeThrottlingUser, HTTPStatus: 400}, true},
		{&APIError{Code: "InternalFailure", HTTPStatus: 500}, true},
		{&APIError{Code: CodeServiceUnavailable, HTTPStatus: 503}, true},
		{&TransportError{Action: "ListMcubeNebulaApps", Err: errors.New("connection reset")}, true},
		{fmt.Errorf("wrapped: %w", &AmbiguousError{Action: "CreateMcubeNebulaApp", Err: errors.New("EOF")}), true},
	}
	for _, tc := range cases {
		if got := IsTransient(tc.err); got != tc.want {
			t.Errorf("IsTransient(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

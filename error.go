// Package gengxin holds the domain of the Beijing Urban Renewal Information
// System (北京市城市更新信息系统): the project (城市更新项目) and its library
// states, the procedure steps that move it, deadlines, events, users and the
// errors every layer speaks. It imports neither net/http nor database/sql;
// the rules and the working-day calendar are pure packages it calls.
package gengxin

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in package http and to one exit
// status in the CLI.
const (
	EInvalid      = "invalid"      // 400: bad input
	EUnauthorized = "unauthorized" // 401: not signed in
	EForbidden    = "forbidden"    // 403: signed in but not allowed
	ENotFound     = "not_found"    // 404: absent, or not visible to the actor
	EConflict     = "conflict"     // 409: wrong state or lost race
	ERuleRefused  = "rule_refused" // 422: a rule of the gazette refuses the step
	ETooLarge     = "too_large"    // 413: an upload or body over its limit
	ETooMany      = "rate_limited" // 429
	EInternal     = "internal"     // 500: never shown in detail
)

// Error is the one error type the domain returns to callers. Message is a
// clear Chinese sentence for the user; Rule and Citation name the gazette rule
// when Code is ERuleRefused; Details lists per-field or per-item problems so
// that everything missing is reported at once (京建法〔2024〕2号 第十二条 一次性告知).
type Error struct {
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	Rule     string        `json:"rule,omitempty"`
	Citation string        `json:"citation,omitempty"`
	Details  []ErrorDetail `json:"details,omitempty"`
}

// ErrorDetail names one problem: a field (or rule) and its Chinese message.
type ErrorDetail struct {
	Field    string `json:"field,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Citation string `json:"citation,omitempty"`
	Message  string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("gengxin: %s: %s (%s %s)", e.Code, e.Message, e.Rule, e.Citation)
	}
	return fmt.Sprintf("gengxin: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted Chinese message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EInternal for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err: the *Error's message,
// or a generic Chinese sentence for internal errors (details are logged, not shown).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试；如持续出现请联系系统管理员并提供请求编号。"
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

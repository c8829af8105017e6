package sched

import (
	"errors"
	"strings"
)

// Exception is a Python exception: its type's name and its message. A
// thread raises one with [Thread.Raise] (or a primitive does, on misuse)
// and it unwinds the thread's Go stack, deferred functions included, up
// to the nearest [Thread.Try], as a Python exception unwinds to the
// nearest except. One that nothing catches ends its thread only: see
// [Thread.SetExceptHook].
//
// An Exception is an error; its Error is the last line of CPython's
// traceback, "ValueError: boom", or the type alone when the message is
// empty.
type Exception struct {
	// Type is the class name, such as "RuntimeError".
	Type string
	// Message is str(exc), such as "release unlocked lock".
	Message string
	// Base is the parent class of a Type that is not one of Python's
	// (a model's own exception class); "" means Exception. The parents of
	// the builtin and threading classes are known (see [Exception.Matches]).
	Base string
	// misuse marks an exception a primitive raised because the model
	// misused it: uncaught, it is a Misuse failure.
	misuse bool
}

// NewException returns an exception of the given type and message.
func NewException(typ, msg string) *Exception { return &Exception{Type: typ, Message: msg} }

// Error returns "Type: message", or "Type" when there is no message.
func (e *Exception) Error() string {
	if e.Message == "" {
		return e.Type
	}
	return e.Type + ": " + e.Message
}

// Misuse reports whether a primitive raised e on a misuse CPython rejects.
func (e *Exception) Misuse() bool { return e.misuse }

// Matches reports whether e is an instance of the class named typ, as
// isinstance and an except clause decide: typ is e's type or one of its
// ancestors ("BrokenBarrierError" is a "RuntimeError", every exception
// but SystemExit, KeyboardInterrupt and GeneratorExit is an "Exception",
// and all are a "BaseException").
func (e *Exception) Matches(typ string) bool {
	for c := e.Type; c != ""; c = e.parent(c) {
		if c == typ {
			return true
		}
	}
	return false
}

func (e *Exception) parent(class string) string {
	if class == e.Type && e.Base != "" {
		return e.Base
	}
	if p, ok := exceptionParents[class]; ok {
		return p
	}
	if class == "BaseException" {
		return ""
	}
	return "Exception"
}

// exceptionParents are the parents of the classes threading, queue and
// concurrent.futures raise, and of their ancestors (CPython 3.13). A class
// not listed derives from Exception.
var exceptionParents = map[string]string{
	"Exception":               "BaseException",
	"SystemExit":              "BaseException",
	"KeyboardInterrupt":       "BaseException",
	"GeneratorExit":           "BaseException",
	"BrokenBarrierError":      "RuntimeError",
	"PythonFinalizationError": "RuntimeError",
	"NotImplementedError":     "RuntimeError",
	"RecursionError":          "RuntimeError",
	"BrokenThreadPool":        "BrokenExecutor",
	"BrokenExecutor":          "RuntimeError",
	"CancelledError":          "Error",
	"InvalidStateError":       "Error",
	"TimeoutError":            "OSError",
	"UnicodeError":            "ValueError",
	"KeyError":                "LookupError",
	"IndexError":              "LookupError",
	"ZeroDivisionError":       "ArithmeticError",
	"OverflowError":           "ArithmeticError",
}

// AsException returns err as an Exception: err itself (or the Exception
// it wraps), else one parsed from its text, "Type: message" or "Type".
func AsException(err error) *Exception {
	var e *Exception
	if errors.As(err, &e) {
		return e
	}
	return parseException(err.Error())
}

// parseException splits "Type: message". A text that does not start with
// a class name is a RuntimeError with the text as message.
func parseException(text string) *Exception {
	typ, msg, found := strings.Cut(text, ": ")
	if !found {
		typ, msg = text, ""
	}
	if !isClassName(typ) {
		return &Exception{Type: "RuntimeError", Message: text}
	}
	return &Exception{Type: typ, Message: msg}
}

// isClassName reports whether s looks like a Python class name, dotted
// module prefix allowed ("queue.Empty").
func isClassName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r != '.' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

// raised is the panic value that carries an exception up a thread's
// stack, with the program counters of the stack it was raised on (its
// traceback); Try recovers it.
type raised struct {
	exc *Exception
	pcs []uintptr
}

// Raise raises a Python exception of type typ with message msg in t, as
// Python's raise: it does not return.
func (t *Thread) Raise(typ, msg string) { t.RaiseException(&Exception{Type: typ, Message: msg}) }

// RaiseException raises e in t (a model's own class, or an exception
// caught before: re-raising).
func (t *Thread) RaiseException(e *Exception) {
	if t.aborting {
		panic(abort{})
	}
	pcs := callers(0)
	panic(raised{e, append([]uintptr(nil), pcs...)})
}

// Reraise raises err in t as an Exception (see [AsException]), as
// Future.result() re-raises the call's exception; a nil err does nothing.
func (t *Thread) Reraise(err error) {
	if err != nil {
		t.RaiseException(AsException(err))
	}
}

// Try runs block and returns the exception it raised and did not catch,
// or nil: Python's try/except around block, catching everything. The
// caller decides what to handle, with [Exception.Matches], and re-raises the
// rest with [Thread.RaiseException] (whose traceback then starts where
// it is raised again). Go panics, failures and the end of the execution
// pass through Try untouched.
func (t *Thread) Try(block func()) (exc *Exception) {
	defer func() {
		if t.aborting {
			// The execution ended and t is being unwound: whatever is
			// raised passes through, so it is not recovered (only to be
			// raised again, unwinding the stack a second time).
			return
		}
		if r := recover(); r != nil {
			x, ok := r.(raised)
			if !ok || t.aborting {
				panic(r)
			}
			exc, t.caught = x.exc, x.pcs
		}
	}()
	block()
	return nil
}

// Misuse raises the exception CPython raises for a misuse of a primitive,
// given as "Type: message" ("RuntimeError: release unlocked lock"). Like
// any exception it can be caught; uncaught, it ends its thread and is a
// Misuse failure.
func (t *Thread) Misuse(msg string) {
	e := parseException(msg)
	e.misuse = true
	t.RaiseException(e)
}

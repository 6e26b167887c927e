package http

import (
	"os"
	"runtime/debug"
)

// The garbage collector's settings of `gengxin serve`. A request allocates
// tens of kilobytes (pure-Go SQLite, database/sql, JSON) over a live heap
// of a few megabytes, so with Go's default (GOGC=100) the collector ran
// every few hundred requests and took an eighth of the CPU of the write
// path. ServeGCPercent lets the heap grow further between collections;
// ServeMemoryLimit makes them come sooner again as the heap nears it, so
// the server stays well within issue 2's 200 MB (docs/PERFORMANCE.md).
const (
	ServeGCPercent   = 400
	ServeMemoryLimit = 150 << 20
)

// TuneRuntime applies ServeGCPercent and ServeMemoryLimit, unless the
// operator set GOGC or GOMEMLIMIT, and returns a function that restores
// the previous settings (for tests).
func TuneRuntime() (restore func()) {
	gc, limit := -2, int64(-1)
	if os.Getenv("GOGC") == "" {
		gc = debug.SetGCPercent(ServeGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(ServeMemoryLimit)
	}
	return func() {
		if gc != -2 {
			debug.SetGCPercent(gc)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

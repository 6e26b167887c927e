package gengxin

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// TimeLayout is the fixed-width UTC form in which instants are stored and
// hashed, so that text order is time order in both databases.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// EventHash returns the SM3 hash (GB/T 32905) that chains e to the previous
// event: SM3(prev ‖ canonical(e)). The canonical form is the event's fields in
// a fixed order, each length-prefixed so that no two events share it. Any
// edit, deletion, insertion or reordering of stored events breaks the chain
// (`gengxin audit verify`).
func EventHash(prev string, e Event) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field(prev)
	field(strconv.FormatInt(e.ID, 10))
	field(strconv.FormatInt(e.ProjectID, 10))
	field(e.At.UTC().Format(TimeLayout))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.Actor)
	field(e.Role)
	field(e.Action)
	field(e.Citation)
	field(string(e.From))
	field(string(e.To))
	field(e.Summary)
	field(e.Data)
	sum := sm3.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Clock tells the time. The domain never calls time.Now itself (STYLE.md).
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// OffsetClock runs in real time from a chosen start (`serve --clock`).
type OffsetClock struct{ Offset time.Duration }

// NewOffsetClock returns a clock that reads start now and runs on from there.
func NewOffsetClock(start time.Time) *OffsetClock {
	return &OffsetClock{Offset: time.Until(start)}
}

// Now returns the real time shifted by the offset.
func (c *OffsetClock) Now() time.Time { return time.Now().Add(c.Offset) }

// FixedClock always reads the same instant (tests, `sweep --at`).
type FixedClock struct{ T time.Time }

// Now returns c.T.
func (c FixedClock) Now() time.Time { return c.T }

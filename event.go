package gengxin

import (
	"encoding/hex"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"gengxin/audit"
)

// TimeLayout is the fixed-width UTC form in which instants are stored and
// hashed, so that text order is time order in both databases.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// EventCanonical returns the canonical content of e that its MAC (and the
// legacy hash) covers: the fields in a fixed order, each length-prefixed
// ("len:text;") so that no two events share it. Result and Source, added by
// migration 003, follow only when one of them is set, so that events written
// before them keep their canonical form. e.Hash is not part of it; At is
// taken in UTC to the microsecond (TimeLayout).
func EventCanonical(e Event) []byte {
	var b []byte
	field := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, ';')
	}
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
	if e.Result != "" || e.Source != "" {
		field(e.Result)
		field(e.Source)
	}
	return b
}

// EventMAC returns the keyed MAC (HMAC-SM3 in the software keyring) that
// chains e to the previous event's MAC prev: k.MAC(prev, EventCanonical(e)).
// Without the key no one can recompute it, so any edit, deletion, insertion
// or reordering of stored events, and any rewritten chain head, is found by
// `gengxin audit verify` (store.VerifyChain).
func EventMAC(k audit.Keyring, prev string, e Event) string {
	return k.MAC(prev, EventCanonical(e))
}

// EventHash returns the unkeyed SM3 hash (GB/T 32905) of the chain as it
// was before the keyed audit trail (migration 003): SM3("len(prev):prev;" ‖
// EventCanonical(e)). Events written before the migration are still checked
// with it; every later event carries EventMAC.
func EventHash(prev string, e Event) string {
	sum := sm3.Sum(append([]byte(lp(prev)), EventCanonical(e)...))
	return hex.EncodeToString(sum[:])
}

// ChainHeadCanonical returns the canonical content of the chain head that
// the keyring MACs together with the last event's MAC: the last event id and
// the first id of the keyed chain. The leading tag keeps it apart from any
// event's canonical form.
func ChainHeadCanonical(lastID, keyedFrom int64) []byte {
	return []byte("10:chain-head;" + lp(strconv.FormatInt(lastID, 10)) + lp(strconv.FormatInt(keyedFrom, 10)))
}

// lp is the length-prefixed form "len:text;" of every canonical field.
func lp(s string) string { return strconv.Itoa(len(s)) + ":" + s + ";" }

// AuditRetentionDays is the least number of days the audit trail stays
// online: 网络安全法 第二十一条（三）“采取监测、记录网络运行状态、网络安全事件
// 的技术措施，并按照规定留存相关的网络日志不少于六个月”. gengxin never deletes
// events; `gengxin audit verify` shows the oldest.
const AuditRetentionDays = 183

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

package gengxin

import (
	"encoding/hex"
	"reflect"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// TestSM3Vector checks the SM3 implementation against the example of
// GB/T 32905-2016 附录A.1: SM3("abc").
func TestSM3Vector(t *testing.T) {
	const want = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
	sum := sm3.Sum([]byte("abc"))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("SM3(abc) = %s, want %s", got, want)
	}
	// 附录A.2: the 64-byte message "abcd"×16.
	const want2 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
	msg := []byte{}
	for range 16 {
		msg = append(msg, "abcd"...)
	}
	sum = sm3.Sum(msg)
	if got := hex.EncodeToString(sum[:]); got != want2 {
		t.Fatalf("SM3(abcd×16) = %s, want %s", got, want2)
	}
}

func sampleEvent() Event {
	return Event{
		ID: 12, ProjectID: 3, At: time.Date(2024, 9, 27, 2, 0, 0, 123456000, time.UTC),
		ActorID: 5, Actor: "朝阳区城市更新主管部门", Role: "district_renewal", Action: "admit",
		Citation: "京建法〔2024〕2号 第十条(三)", From: StatusInReview, To: StatusReserve,
		Summary: "纳入储备项目库，入库通知书 朝更新储〔2024〕12号", Data: `{"industry_dept":"经济和信息化"}`,
		Result: "success", Source: "203.0.113.7",
	}
}

const samplePrev = "0f2c1e9c4a5d6b7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9011223344556"

func TestEventHashDeterministic(t *testing.T) {
	e := sampleEvent()
	h := EventHash(samplePrev, e)
	if len(h) != 64 {
		t.Fatalf("hash %q is not 64 hex digits", h)
	}
	if _, err := hex.DecodeString(h); err != nil {
		t.Fatalf("hash %q is not hex: %v", h, err)
	}
	for range 10 {
		if got := EventHash(samplePrev, sampleEvent()); got != h {
			t.Fatalf("EventHash is not deterministic: %s then %s", h, got)
		}
	}
	// The stored hash is not part of what is hashed.
	e.Hash = "something else"
	if got := EventHash(samplePrev, e); got != h {
		t.Errorf("EventHash depends on e.Hash: %s vs %s", got, h)
	}
	// The same instant in Beijing time hashes the same (stored in UTC).
	e.At = e.At.In(time.FixedZone("CST", 8*3600))
	if got := EventHash(samplePrev, e); got != h {
		t.Errorf("EventHash depends on the time zone of At: %s vs %s", got, h)
	}
}

// TestEventHashCoversEveryField changes each field of Event in turn; every
// change but Hash itself must change the hash.
func TestEventHashCoversEveryField(t *testing.T) {
	base := EventHash(samplePrev, sampleEvent())
	typ := reflect.TypeFor[Event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "Hash" {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			mutations := map[string]func(v reflect.Value){}
			switch f.Type {
			case reflect.TypeFor[time.Time]():
				// Instants are stored to the microsecond (TimeLayout).
				mutations["plus-1µs"] = func(v reflect.Value) {
					v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Microsecond)))
				}
				mutations["plus-1s"] = func(v reflect.Value) {
					v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second)))
				}
			default:
				switch f.Type.Kind() {
				case reflect.Int64:
					mutations["plus-1"] = func(v reflect.Value) { v.SetInt(v.Int() + 1) }
					mutations["zero"] = func(v reflect.Value) { v.SetInt(0) }
				case reflect.String:
					mutations["append"] = func(v reflect.Value) { v.SetString(v.String() + "x") }
					mutations["empty"] = func(v reflect.Value) { v.SetString("") }
					mutations["chinese"] = func(v reflect.Value) { v.SetString(v.String() + "改") }
				default:
					t.Fatalf("field %s of type %s: extend this test", f.Name, f.Type)
				}
			}
			for name, mutate := range mutations {
				e := sampleEvent()
				mutate(reflect.ValueOf(&e).Elem().Field(i))
				if reflect.DeepEqual(e, sampleEvent()) {
					t.Fatalf("%s: mutation did not change the event", name)
				}
				if got := EventHash(samplePrev, e); got == base {
					t.Errorf("%s: changing %s does not change the hash", name, f.Name)
				}
			}
		})
	}
}

// TestEventHashFieldBoundaries: moving text from one field to the next, or
// into the previous hash, gives another hash (the fields are length-prefixed).
func TestEventHashFieldBoundaries(t *testing.T) {
	a, b := sampleEvent(), sampleEvent()
	a.Actor, a.Role = "张三", "district_renewal"
	b.Actor, b.Role = "张三district", "_renewal"
	if EventHash(samplePrev, a) == EventHash(samplePrev, b) {
		t.Error("Actor/Role boundary is not part of the hash")
	}
	c, d := sampleEvent(), sampleEvent()
	c.Summary, c.Data = "x;", ""
	d.Summary, d.Data = "x", ";"
	if EventHash(samplePrev, c) == EventHash(samplePrev, d) {
		t.Error("Summary/Data boundary is not part of the hash")
	}
	e := sampleEvent()
	if EventHash("ab", e) == EventHash("a", e) {
		t.Error("prev is not part of the hash")
	}
}

// TestEventHashChains: each hash depends on the previous one, so changing an
// early event changes every later hash.
func TestEventHashChains(t *testing.T) {
	e := sampleEvent()
	if EventHash("", e) == EventHash(samplePrev, e) {
		t.Fatal("prev does not change the hash")
	}
	events := make([]Event, 5)
	for i := range events {
		events[i] = sampleEvent()
		events[i].ID = int64(i + 1)
		events[i].Summary = "第" + string(rune('一'+i)) + "步"
	}
	chain := func(evs []Event) []string {
		var out []string
		prev := ""
		for _, e := range evs {
			prev = EventHash(prev, e)
			out = append(out, prev)
		}
		return out
	}
	orig := chain(events)
	seen := map[string]bool{}
	for _, h := range orig {
		if seen[h] {
			t.Fatalf("two events of the chain share hash %s", h)
		}
		seen[h] = true
	}
	edited := append([]Event(nil), events...)
	edited[1].Summary += "（改）"
	got := chain(edited)
	if got[0] != orig[0] {
		t.Error("editing event 2 changed event 1's hash")
	}
	for i := 1; i < len(got); i++ {
		if got[i] == orig[i] {
			t.Errorf("editing event 2 left hash %d unchanged", i+1)
		}
	}
	// Swapping two events' contents (keeping the ids) breaks the chain too.
	swapped := append([]Event(nil), events...)
	swapped[1].Summary, swapped[2].Summary = swapped[2].Summary, swapped[1].Summary
	if got := chain(swapped); got[1] == orig[1] || got[2] == orig[2] {
		t.Error("swapping the contents of events 2 and 3 left their hashes unchanged")
	}
}

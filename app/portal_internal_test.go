package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"gengxin"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
)

// TestPortalPublishTx checks publishTx's contract for other procedures:
// bad input names every field at once; a good publication commits with the
// caller's transaction, and rolls back with it.
func TestPortalPublishTx(t *testing.T) {
	key, _ := audit.NewHMAC([]byte("gengxin portal internal test key, 32+ bytes"))
	db := storetest.Open(t, store.SQLite)
	clock := &gengxin.FixedClock{T: time.Date(2025, 9, 26, 10, 0, 0, 0, calendar.Beijing)}
	a, err := New(context.Background(), db, key, clock, t.TempDir(), "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := calendar.MustParseDate
	good := Publication{Kind: PubPublicity, Title: "老旧厂房实施方案公示", Body: "正文", District: "朝阳区", Issuer: "朝阳区城市更新主管部门",
		SourceKind: "old_factory", SourceID: 7, StartsOn: day("2025-09-26"), EndsOn: day("2025-10-24"), Citation: "京规自发〔2024〕67号 第十九条第二款",
		Documents: []PubDoc{{Title: "实施方案（公开版）", URL: "/portal/files/1"}}}

	bad := good
	bad.Kind, bad.Title, bad.EndsOn, bad.Citation, bad.District = "notice", "", day("2025-09-25"), "", "北京区"
	bad.Documents = []PubDoc{{Title: "x", URL: "javascript:alert(1)"}}
	err = db.Tx(ctx, func(tx *store.Tx) error { _, err := a.publishTx(tx, nil, bad); return err })
	if e := gengxin.AsError(err); e == nil || e.Code != gengxin.EInvalid || len(e.Details) != 6 {
		t.Fatalf("bad publication: %v", err)
	}

	// Rolled back with the caller's failing transaction.
	boom := gengxin.Errorf(gengxin.EConflict, "caller failed")
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := a.publishTx(tx, nil, good); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("want the caller's error, got %v", err)
	}
	if ps, _ := a.Publications(ctx, "", "", "", 0); len(ps) != 0 {
		t.Fatalf("publication survived a rollback: %d", len(ps))
	}

	var id int64
	if err := db.Tx(ctx, func(tx *store.Tx) error { id, err = a.publishTx(tx, nil, good); return err }); err != nil {
		t.Fatal(err)
	}
	v, err := a.PublicPublication(ctx, id)
	if err != nil || v.Status != PubOpen || v.DaysLeft != 28 || len(v.Docs) != 1 || !v.CommentsOpen {
		t.Fatalf("view %+v %v", v, err)
	}
	of, _ := a.PublicationsOf(ctx, "old_factory", 7)
	if len(of) != 1 || of[0].ID != id {
		t.Fatalf("PublicationsOf: %d", len(of))
	}
	clock.T = time.Date(2025, 10, 25, 10, 0, 0, 0, calendar.Beijing)
	if v, _ := a.PublicPublication(ctx, id); v.Status != PubClosed || v.CommentsOpen || !strings.Contains(v.StatusLabel, "已结束") {
		t.Fatalf("closed view %+v", v)
	}
}

package store_test

import (
	"strings"
	"testing"

	"gengxin/calendar"
	"gengxin/crypt"
	"gengxin/store"
	"gengxin/store/storetest"
)

// TestExpertPersonalDataSealed: an expert's phone and ID number are stored
// SM4-GCM-sealed like the project contact and read back in plaintext; the
// lists round-trip.
func TestExpertPersonalDataSealed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, raw := openWithRaw(t, d)
		db.SetSealer(storetest.Sealer)
		e := &store.Expert{Name: "王建国", Gender: "男", BirthDate: calendar.MustParseDate("1960-01-01"), Employer: "某研究院", Title: "教授级高工",
			Fields: []string{"城市设计"}, Recommender: "规划自然资源", Phone: "13912345678", IDNumber: "11010519600101123X",
			Relatives: []string{"王小明"}, Status: "nominated", AppliedOn: calendar.MustParseDate("2024-06-01"), NominatedBy: "x", CreatedAt: t0}
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertExpert(e) }); err != nil {
			t.Fatal(err)
		}
		for col, plain := range map[string]string{"phone": e.Phone, "id_number": e.IDNumber} {
			var v string
			if err := raw.QueryRowContext(ctx, raw.bind(`SELECT `+col+` FROM experts WHERE id = ?`), e.ID).Scan(&v); err != nil {
				t.Fatal(err)
			}
			if !crypt.Sealed(v) || strings.Contains(v, plain) {
				t.Errorf("%s stored as %q, want sealed", col, v)
			}
		}
		got, err := db.Read(ctx).Expert(e.ID)
		if err != nil || got.Phone != e.Phone || got.IDNumber != e.IDNumber || len(got.Relatives) != 1 || got.Fields[0] != "城市设计" || got.VettedOn.IsZero() != true {
			t.Fatalf("read back %+v, %v", got, err)
		}
	})
}

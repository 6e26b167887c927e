package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gengxin"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
)

func TestBulkInsertProjects(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.Open(t, d)
			now := time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)
			// One project through the ordinary path first: bulk ids go above it.
			first := &gengxin.Project{Code: "GX-1", Name: "先行项目", Category: gengxin.Residential, District: "朝阳区",
				Source: gengxin.SourceOnline, Status: gengxin.StatusDraft, NeedsImplPlan: true, CreatedAt: now, UpdatedAt: now}
			if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertProject(first) }); err != nil {
				t.Fatal(err)
			}
			const n = store.BulkTxRows + 321 // two transactions, a tail statement
			ps := make([]*gengxin.Project, n)
			for i := range ps {
				name := fmt.Sprintf("测试%d号老旧小区综合整治项目", i)
				if i%7 == 0 {
					name = fmt.Sprintf("测试%d号老旧厂房更新改造项目", i)
				}
				ps[i] = &gengxin.Project{Code: fmt.Sprintf("DM-T-%06d", i), Name: name, Category: gengxin.Industrial,
					District: "海淀区", Street: "中关村街道", Address: fmt.Sprintf("海淀区中关村大街%d号", i), Source: gengxin.SourceOnline,
					Status: gengxin.StatusSubmitted, ReceivedOn: calendar.MustParseDate("2025-03-03"), NeedsImplPlan: true,
					EntityName: "北京测试有限公司", CreatedAt: now, UpdatedAt: now}
			}
			due := calendar.MustParseDate("2025-03-17")
			err := db.BulkInsertProjects(ctx, ps, func(i int) []gengxin.Deadline {
				if i%2 == 1 {
					return nil
				}
				return []gengxin.Deadline{{Kind: gengxin.DeadlineJointReview, StartOn: ps[i].ReceivedOn, Amount: 10, Unit: "working_days",
					Due: due, Citation: "京建法〔2024〕2号 第十条(二)", Status: gengxin.DeadlineOpen, Round: 1}}
			})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int64]bool{first.ID: true}
			for _, p := range ps {
				if p.ID <= first.ID || seen[p.ID] || p.Version != 1 {
					t.Fatalf("id %d (first %d) version %d", p.ID, first.ID, p.Version)
				}
				seen[p.ID] = true
			}
			r := db.Read(ctx)
			got, err := r.Project(ps[n-1].ID)
			if err != nil || got.Name != ps[n-1].Name || got.Code != ps[n-1].Code || got.ReceivedOn != ps[n-1].ReceivedOn {
				t.Fatalf("read back: %+v %v", got, err)
			}
			dls, err := r.Deadlines(ps[4].ID)
			if err != nil || len(dls) != 1 || dls[0].Due != due {
				t.Fatalf("deadlines: %+v %v", dls, err)
			}
			if dls, _ := r.Deadlines(ps[5].ID); len(dls) != 0 {
				t.Fatalf("odd rows have none: %+v", dls)
			}
			_, total, err := r.Projects(store.ProjectFilter{Q: "厂房更新"})
			if err != nil || total != (n+6)/7 {
				t.Fatalf("search: total %d, want %d (%v)", total, (n+6)/7, err)
			}
			if c, err := r.CountProjectsWithCodePrefix("DM"); err != nil || c != n {
				t.Fatalf("count DM = %d, %v", c, err)
			}
			// The ordinary path continues above the bulk ids.
			next := &gengxin.Project{Code: "GX-2", Name: "后续项目", Category: gengxin.Residential, District: "朝阳区",
				Source: gengxin.SourceOnline, Status: gengxin.StatusDraft, CreatedAt: now, UpdatedAt: now}
			if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertProject(next) }); err != nil {
				t.Fatal(err)
			}
			if next.ID <= ps[n-1].ID {
				t.Fatalf("next id %d collides with bulk ids (last %d)", next.ID, ps[n-1].ID)
			}
			if _, brk, err := r.VerifyChain(testKey); err != nil || brk != nil {
				t.Fatalf("chain: %v %v", brk, err)
			}
		})
	}
}

package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/store"
)

// PublicProject is what the public may read of a library project: no
// personal data, no contacts, no materials.
type PublicProject struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	Category   gengxin.Category `json:"category"`
	District   string           `json:"district"`
	Street     string           `json:"street"`
	Library    string           `json:"library"`
	Entity     string           `json:"entity"`
	AdmittedOn calendar.Date    `json:"admitted_on"`
	PlanYear   int              `json:"plan_year,omitempty"`
}

// PublicSearch searches the projects of the library (reserve,
// implementation, exited) for the public home page.
func (a *App) PublicSearch(ctx context.Context, q, district, category string, page int) ([]PublicProject, int, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > 50 {
		return nil, 0, gengxin.Errorf(gengxin.EInvalid, "搜索词不超过50个字")
	}
	f := store.ProjectFilter{Q: q, Status: []gengxin.Status{gengxin.StatusReserve, gengxin.StatusImplementation, gengxin.StatusExited}, Page: page, PerPage: 20}
	if district != "" {
		if _, ok := gengxin.LookupDistrict(district); !ok {
			return nil, 0, gengxin.Errorf(gengxin.EInvalid, "所在区无效")
		}
		f.District = district
	}
	if category != "" {
		if !gengxin.Category(category).Valid() {
			return nil, 0, gengxin.Errorf(gengxin.EInvalid, "项目类别无效")
		}
		f.Category = category
	}
	ps, total, err := a.DB.Read(ctx).Projects(f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]PublicProject, len(ps))
	for i, p := range ps {
		out[i] = PublicProject{Code: p.Code, Name: p.Name, Category: p.Category, District: p.District, Street: p.Street,
			Library: p.Library(), Entity: p.EntityName, AdmittedOn: p.AdmittedOn, PlanYear: p.PlanYear}
	}
	return out, total, nil
}

// PlanRow is one project of a city renewal plan (第十六条、第十七条).
type PlanRow struct {
	*gengxin.Project
}

// Plan returns the projects included in the plan of year: the district plan
// for district officers, the municipal plan (all districts, rolled up by
// district) for the municipal commission (第十七条).
func (a *App) Plan(ctx context.Context, u *gengxin.User, year int) (map[string][]*gengxin.Project, int, error) {
	f, err := Scope(u)
	if err != nil {
		return nil, 0, err
	}
	f.PlanYear = year
	f.PerPage = store.MaxPerPage
	byDistrict := map[string][]*gengxin.Project{}
	total := 0
	for page := 1; ; page++ {
		f.Page = page
		ps, n, err := a.DB.Read(ctx).Projects(f)
		if err != nil {
			return nil, 0, err
		}
		total = n
		for _, p := range ps {
			byDistrict[p.District] = append(byDistrict[p.District], p)
		}
		if page*store.MaxPerPage >= n || page >= 50 {
			break
		}
	}
	return byDistrict, total, nil
}

package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gengxin"
	"gengxin/store"
)

// MaxApplicationBytes bounds all materials of one coordinator application.
const MaxApplicationBytes = 100 << 20

// applicationOf returns application aid of unit unitID with its selection,
// or ENotFound when it does not belong to the unit.
func applicationOf(rd interface {
	Selections(unit int64, statuses ...string) ([]*store.Selection, error)
	SelectionApplication(id int64) (*store.SelectionApplication, error)
}, unitID, aid int64) (*store.SelectionApplication, *store.Selection, error) {
	ap, err := rd.SelectionApplication(aid)
	if err != nil {
		return nil, nil, err
	}
	sels, err := rd.Selections(unitID)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sels {
		if s.ID == ap.SelectionID {
			return ap, s, nil
		}
	}
	return nil, nil, gengxin.Errorf(gengxin.ENotFound, "申报不存在或无权查看")
}

// UploadApplicationFile adds a material to the company's own application
// in an open selection (京建法〔2024〕1号 第七条第一款: candidates apply with
// their materials), until the announced deadline. Type from content, stored
// outside the web root, 100 MB per application.
func (a *App) UploadApplicationFile(ctx context.Context, u *gengxin.User, unitID, aid int64, filename string, r io.Reader) (*store.ApplicationFile, error) {
	if u == nil || u.Role != gengxin.RoleApplicant {
		return nil, gengxin.Errorf(gengxin.EForbidden, "申报材料由申报企业上传")
	}
	rd := a.DB.Read(ctx)
	ap, sel, err := applicationOf(rd, unitID, aid)
	if err != nil {
		return nil, err
	}
	if ap.OrgID != u.OrgID {
		return nil, gengxin.Errorf(gengxin.ENotFound, "申报不存在或无权查看")
	}
	if sel.Status != SelAnnounced || a.Today().After(sel.ApplyUntil) {
		return nil, gengxin.Errorf(gengxin.EConflict, "申报已于 %s 截止，不能再上传材料（第七条第一款）", sel.ApplyUntil)
	}
	files, err := rd.ApplicationFiles(sel.ID)
	if err != nil {
		return nil, err
	}
	var used int64
	for _, f := range files[aid] {
		used += f.Size
	}
	up, err := a.storeUpload(filename, r, used, MaxApplicationBytes, "本次申报材料总量")
	if err != nil {
		return nil, err
	}
	f := &store.ApplicationFile{ApplicationID: aid, Filename: up.Filename, ContentType: up.ContentType, Size: up.Size,
		SHA256: up.SHA256, StorageName: up.StorageName, UploadedBy: actorName(u), At: a.now()}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertApplicationFile(f); err != nil {
			return err
		}
		return a.userEvent(tx, u, "coordinator-application-file", jf1("第七条第一款"), fmt.Sprintf("上传统筹主体申报材料（申报 %d）：%s", aid, f.Filename),
			map[string]any{"application": aid, "sha256": f.SHA256, "size": f.Size})
	})
	if err != nil {
		os.Remove(up.path)
		return nil, err
	}
	return f, nil
}

// OpenApplicationFile returns material fid of a unit's application with its
// content, for the applying company and the officers who see the unit's
// applications (the district's, the 市住房城乡建设委).
func (a *App) OpenApplicationFile(ctx context.Context, u *gengxin.User, unitID, fid int64) (*store.ApplicationFile, []byte, error) {
	if _, err := a.Unit(ctx, u, unitID); err != nil {
		return nil, nil, err
	}
	rd := a.DB.Read(ctx)
	f, ap, err := rd.ApplicationFile(fid)
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := applicationOf(rd, unitID, ap.ID); err != nil {
		return nil, nil, err
	}
	if u.Role == gengxin.RoleApplicant && ap.OrgID != u.OrgID {
		return nil, nil, gengxin.Errorf(gengxin.ENotFound, "申报材料不存在或无权查看")
	}
	b, err := os.ReadFile(filepath.Join(a.Files, f.StorageName))
	if err != nil {
		return nil, nil, err
	}
	return f, b, nil
}

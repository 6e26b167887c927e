package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/store"
)

// Upload limits.
const (
	MaxUploadBytes     = 20 << 20  // one file
	MaxProjectBytes    = 200 << 20 // all files of a project
	MaxZipEntries      = 2000
	MaxZipUncompressed = 200 << 20
)

// allowedTypes maps a content type detected from the bytes to the file
// extensions it may carry.
var allowedTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/x-ole-storage": {".doc", ".xls", ".ppt"},
}

// sniff returns the content type of b judged from its bytes, never from the
// file name. Office Open XML files are zips whose [Content_Types].xml names
// the kind; the zip is checked for path traversal and decompression bombs.
func sniff(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "application/x-ole-storage", nil
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return "", gengxin.Errorf(gengxin.EInvalid, "文件已损坏，无法识别为 Office 文档")
		}
		if len(zr.File) > MaxZipEntries {
			return "", gengxin.Errorf(gengxin.EInvalid, "压缩包内文件过多，已拒绝")
		}
		var total uint64
		kind := ""
		for _, f := range zr.File {
			if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") || strings.Contains(f.Name, `\`) {
				return "", gengxin.Errorf(gengxin.EInvalid, "文件内含非法路径，已拒绝")
			}
			total += f.UncompressedSize64
			if total > MaxZipUncompressed || (f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > 200) {
				return "", gengxin.Errorf(gengxin.EInvalid, "文件解压后体积异常（疑似压缩炸弹），已拒绝")
			}
			switch {
			case strings.HasPrefix(f.Name, "word/"):
				kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
			case strings.HasPrefix(f.Name, "xl/"):
				kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			case strings.HasPrefix(f.Name, "ppt/"):
				kind = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
			}
		}
		if kind == "" {
			return "", gengxin.Errorf(gengxin.EInvalid, "仅接受 PDF、图片（PNG/JPEG）和 Office 文档；压缩包等其他格式不予接收")
		}
		return kind, nil
	}
	ct := http.DetectContentType(b)
	if ct == "image/png" || ct == "image/jpeg" {
		return ct, nil
	}
	return "", gengxin.Errorf(gengxin.EInvalid, "文件类型不被接受（按内容识别为 %s）：仅接受 PDF、PNG、JPEG、Word、Excel、PowerPoint", ct)
}

// Upload stores an applicant's material for a draft or a project awaiting
// correction. The type is judged from the content and must agree with the
// extension; the file is stored outside the web root under a random name.
func (a *App) Upload(ctx context.Context, u *gengxin.User, id int64, kind, filename string, r io.Reader) (*gengxin.Attachment, error) {
	p, err := a.Project(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role != gengxin.RoleApplicant {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有申报主体可以上传申报材料")
	}
	if p.Status != gengxin.StatusDraft && p.Status != gengxin.StatusCorrectionRequested {
		return nil, gengxin.Errorf(gengxin.EConflict, "项目当前状态为「%s」，不能上传材料", p.Status.Label())
	}
	kind = strings.TrimSpace(kind)
	if kind == "" {
		kind = "申报材料"
	}
	existing, err := a.DB.Read(ctx).Attachments(id)
	if err != nil {
		return nil, err
	}
	var used int64
	for _, x := range existing {
		used += x.Size
	}
	f, err := a.storeUpload(filename, r, used, MaxProjectBytes, "本项目材料总量")
	if err != nil {
		return nil, err
	}
	att := &gengxin.Attachment{ProjectID: id, Kind: kind, Filename: f.Filename, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, StorageName: f.StorageName, UploadedBy: actorName(u), At: a.now()}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAttachment(att); err != nil {
			return err
		}
		return a.event(tx, u, p, "upload", "京建法〔2024〕2号 第十条(一)", "", "上传材料「"+kind+"」："+att.Filename, map[string]any{"sha256": att.SHA256, "size": att.Size})
	})
	if err != nil {
		os.Remove(f.path)
		return nil, err
	}
	return att, nil
}

// storedUpload is an upload checked and written to the files directory.
type storedUpload struct {
	Filename, ContentType, SHA256, StorageName string
	Size                                       int64
	path                                       string
}

// storeUpload reads an upload (at most MaxUploadBytes), judges its type from
// the content (the extension must agree), checks it against a quota of
// which used bytes are taken (what names the quota in the message), and
// writes it, synced, under a random name outside any web root. The caller
// records it in a transaction and removes the file when that fails.
func (a *App) storeUpload(filename string, r io.Reader, used, quota int64, what string) (*storedUpload, error) {
	filename = filepath.Base(strings.ReplaceAll(strings.TrimSpace(filename), `\`, "/"))
	if filename == "" || filename == "." || utf8.RuneCountInString(filename) > 120 {
		return nil, gengxin.Errorf(gengxin.EInvalid, "文件名无效")
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxUploadBytes {
		return nil, gengxin.Errorf(gengxin.ETooLarge, "单个文件不超过 %d MB", MaxUploadBytes>>20)
	}
	if len(b) == 0 {
		return nil, gengxin.Errorf(gengxin.EInvalid, "文件为空")
	}
	ct, err := sniff(b)
	if err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(filename))
	okExt := false
	for _, e := range allowedTypes[ct] {
		okExt = okExt || e == ext
	}
	if !okExt {
		return nil, gengxin.Errorf(gengxin.EInvalid, "文件扩展名 %q 与文件内容（%s）不符", ext, ct)
	}
	if used+int64(len(b)) > quota {
		return nil, gengxin.Errorf(gengxin.ETooLarge, "%s不超过 %d MB", what, quota>>20)
	}
	rnd := make([]byte, 16)
	rand.Read(rnd)
	name := hex.EncodeToString(rnd)
	if err := os.MkdirAll(a.Files, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(a.Files, name)
	if err := writeFileSync(path, b); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return &storedUpload{Filename: filename, ContentType: ct, SHA256: hex.EncodeToString(sum[:]), StorageName: name, Size: int64(len(b)), path: path}, nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// OpenAttachment returns an attachment and its content if u may see the project.
func (a *App) OpenAttachment(ctx context.Context, u *gengxin.User, id, aid int64) (*gengxin.Attachment, []byte, error) {
	if _, err := a.Project(ctx, u, id); err != nil {
		return nil, nil, err
	}
	as, err := a.DB.Read(ctx).Attachments(id)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range as {
		if x.ID == aid {
			b, err := os.ReadFile(filepath.Join(a.Files, x.StorageName))
			if err != nil {
				return nil, nil, err
			}
			return &x, b, nil
		}
	}
	return nil, nil, gengxin.Errorf(gengxin.ENotFound, "材料不存在")
}

package store_test

import (
	"errors"
	"strings"
	"testing"

	"gengxin"
	"gengxin/crypt"
	"gengxin/store"
	"gengxin/store/storetest"
)

// TestPersonalDataSealed: the project contact and the TOTP secrets are
// stored SM4-GCM-sealed (read raw, the column is not the plaintext), read
// back in plaintext through the store, legacy plaintext rows still read, a
// tampered value or another key is an error (never a panic), and a store
// without a Sealer writes as it did before.
func TestPersonalDataSealed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, raw := openWithRaw(t, d)
		db.SetSealer(storetest.Sealer)
		const contact, secret = "张三 13800000000", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		p := fullProject(0)
		p.Contact = contact
		u := &gengxin.User{Username: "co", Role: gengxin.RoleApplicant}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertProject(p); err != nil {
				return err
			}
			if err := tx.InsertUser(u, t0); err != nil {
				return err
			}
			return tx.SetTOTPPending(u.ID, secret)
		}); err != nil {
			t.Fatal(err)
		}
		rawCol := func(q string, id int64) string {
			t.Helper()
			var v string
			if err := raw.QueryRowContext(ctx, raw.bind(q), id).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		sealedOK := func(what, v, plain string) {
			t.Helper()
			if !crypt.Sealed(v) || strings.Contains(v, plain) || strings.Contains(v, "13800000000") {
				t.Errorf("%s stored as %q, want sealed", what, v)
			}
		}
		sealedOK("contact", rawCol(`SELECT contact FROM projects WHERE id = ?`, p.ID), contact)
		sealedOK("totp_pending", rawCol(`SELECT totp_pending FROM users WHERE id = ?`, u.ID), secret)

		a, err := db.Read(ctx).Account(u.ID)
		if err != nil || a.TOTPPending != secret {
			t.Fatalf("Account: pending %q, %v", a.TOTPPending, err)
		}
		// Binding compares the opened pending secret.
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.BindTOTP(u.ID, "OTHERSECRET", 1) }); gengxin.ErrorCode(err) != gengxin.EConflict {
			t.Errorf("BindTOTP with another secret: %v, want conflict", err)
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.BindTOTP(u.ID, secret, 1) }); err != nil {
			t.Fatal(err)
		}
		sealedOK("totp_secret", rawCol(`SELECT totp_secret FROM users WHERE id = ?`, u.ID), secret)
		if a, err = db.Read(ctx).AccountByName("co"); err != nil || a.TOTPSecret != secret || a.TOTPPending != "" || !a.TOTPEnrolled() {
			t.Fatalf("after bind: %+v, %v", a, err)
		}
		got, err := db.Read(ctx).Project(p.ID)
		if err != nil || got.Contact != contact {
			t.Fatalf("Project: contact %q, %v", got.Contact, err)
		}
		// UpdateProject seals again.
		got.Contact = "李四 13900000000"
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateProject(got) }); err != nil {
			t.Fatal(err)
		}
		sealedOK("contact after update", rawCol(`SELECT contact FROM projects WHERE id = ?`, p.ID), "李四")
		if got, err = db.Read(ctx).Project(p.ID); err != nil || got.Contact != "李四 13900000000" {
			t.Fatalf("after update: %q, %v", got.Contact, err)
		}

		// UpdateProjectFrom seals a changed contact too.
		was := store.Snapshot(got)
		got.Contact = "赵六 13600000000"
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateProjectFrom(was, got) }); err != nil {
			t.Fatal(err)
		}
		sealedOK("contact after UpdateProjectFrom", rawCol(`SELECT contact FROM projects WHERE id = ?`, p.ID), "赵六")
		if got, err = db.Read(ctx).Project(p.ID); err != nil || got.Contact != "赵六 13600000000" {
			t.Fatalf("after UpdateProjectFrom: %q, %v", got.Contact, err)
		}

		// Legacy plaintext (written before encryption) reads as it is.
		raw.exec(t, `UPDATE projects SET contact = ? WHERE id = ?`, "王五 13700000000", p.ID)
		if got, err = db.Read(ctx).Project(p.ID); err != nil || got.Contact != "王五 13700000000" {
			t.Fatalf("legacy contact: %q, %v", got.Contact, err)
		}

		// Tampered ciphertext: an error, not a panic, not garbage.
		sealed := rawCol(`SELECT totp_secret FROM users WHERE id = ?`, u.ID)
		tampered := sealed[:len(sealed)-3] + map[bool]string{true: "AAA", false: "BBB"}[!strings.HasSuffix(sealed, "AAA")]
		raw.exec(t, `UPDATE users SET totp_secret = ? WHERE id = ?`, tampered, u.ID)
		if _, err := db.Read(ctx).Account(u.ID); !errors.Is(err, crypt.ErrOpen) {
			t.Errorf("tampered totp_secret: %v, want ErrOpen", err)
		}
		raw.exec(t, `UPDATE users SET totp_secret = ? WHERE id = ?`, sealed, u.ID)

		// Another key: an error on read.
		other, _ := crypt.NewSM4GCM([]byte("another key 16by"))
		db.SetSealer(other)
		if _, err := db.Read(ctx).Account(u.ID); !errors.Is(err, crypt.ErrOpen) {
			t.Errorf("wrong key: %v, want ErrOpen", err)
		}
		// No key at all: sealed values are refused, not shown as ciphertext.
		db.SetSealer(nil)
		if _, err := db.Read(ctx).Account(u.ID); err == nil {
			t.Error("sealed secret read without a key")
		}
		// Without a Sealer, values are written as they are (old callers).
		q := fullProject(0)
		q.ExternalRef, q.Code, q.Contact = "", "GX-110105-2024-000099", "赵六 13600000000"
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertProject(q) }); err != nil {
			t.Fatal(err)
		}
		if v := rawCol(`SELECT contact FROM projects WHERE id = ?`, q.ID); v != q.Contact {
			t.Errorf("without a Sealer contact stored as %q", v)
		}
	})
}

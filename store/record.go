package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gengxin"
	"gengxin/audit"
	"gengxin/calendar"
)

// InsertDeadline stores d for project pid and sets d.ID.
func (tx *Tx) InsertDeadline(pid int64, d *gengxin.Deadline) error {
	id, err := tx.insert(`INSERT INTO deadlines (project_id, kind, round, start_on, amount, unit, due_on, citation, status, closed_on, provisional)
 VALUES (?,?,?,?,?,?,?,?,?,?,?)`, pid, string(d.Kind), d.Round, d.StartOn, d.Amount, d.Unit, d.Due, d.Citation, d.Status, d.ClosedOn, d.Provisional)
	d.ID = id
	return err
}

// UpdateDeadline sets the status and closing day of a deadline.
func (tx *Tx) UpdateDeadline(d *gengxin.Deadline) error {
	_, err := tx.exec(`UPDATE deadlines SET status = ?, closed_on = ? WHERE id = ?`, d.Status, d.ClosedOn, d.ID)
	return err
}

// Deadlines returns the deadlines of a project in creation order.
func (q q) Deadlines(pid int64) ([]gengxin.Deadline, error) {
	rows, err := q.query(`SELECT id, kind, round, start_on, amount, unit, due_on, citation, status, closed_on, provisional
 FROM deadlines WHERE project_id = ? ORDER BY id`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Deadline{}
	for rows.Next() {
		var d gengxin.Deadline
		var kind string
		if err := rows.Scan(&d.ID, &kind, &d.Round, &d.StartOn, &d.Amount, &d.Unit, &d.Due, &d.Citation, &d.Status, &d.ClosedOn, &d.Provisional); err != nil {
			return nil, err
		}
		d.Kind = gengxin.DeadlineKind(kind)
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// DeadlinesOf returns the deadlines of many projects, keyed by project id.
func (q q) DeadlinesOf(ids []int64) (map[int64][]gengxin.Deadline, error) {
	out := map[int64][]gengxin.Deadline{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.query(`SELECT project_id, id, kind, round, start_on, amount, unit, due_on, citation, status, closed_on, provisional
 FROM deadlines WHERE project_id IN (`+placeholders(len(ids))+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d gengxin.Deadline
		var pid int64
		var kind string
		if err := rows.Scan(&pid, &d.ID, &kind, &d.Round, &d.StartOn, &d.Amount, &d.Unit, &d.Due, &d.Citation, &d.Status, &d.ClosedOn, &d.Provisional); err != nil {
			return nil, err
		}
		d.Kind = gengxin.DeadlineKind(kind)
		out[pid] = append(out[pid], d)
	}
	return out, mapErr(rows.Err())
}

// OpenDeadlinesDueBefore returns (project id, deadline) pairs that are still
// open and due before day, for the sweep.
func (q q) OpenDeadlinesDueBefore(day calendar.Date) (map[int64][]gengxin.Deadline, error) {
	rows, err := q.query(`SELECT project_id FROM deadlines WHERE status = 'open' AND due_on < ? ORDER BY project_id`, day)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		if len(ids) == 0 || ids[len(ids)-1] != id {
			ids = append(ids, id)
		}
	}
	rows.Close()
	return q.DeadlinesOf(ids)
}

// SetKeyring sets the key with which AppendEvent MACs events. It is called
// once, before the first write (app.New); without it AppendEvent fails, and
// so does every action, since none may go unrecorded.
func (db *DB) SetKeyring(k audit.Keyring) { db.keys = k }

// AppendEvent adds e to the audit chain: it reads the chain head (locking it
// on PostgreSQL), computes e's MAC with the DB's keyring k over the previous MAC and e's
// canonical content (gengxin.EventMAC), inserts e and moves the head, whose
// own MAC is renewed with k (SetKeyring). It sets e.ID and e.Hash; an empty e.Result
// becomes audit.DefaultResult(e.Action) and an empty e.Source the source
// address the transaction's context carries (audit.WithSource), or "local".
// A failure here fails the transaction, and so the action it records.
func (tx *Tx) AppendEvent(e *gengxin.Event) error {
	k := tx.db.keys
	if k == nil {
		return gengxin.Errorf(gengxin.EInternal, "未配置审计密钥，无法写入审计记录")
	}
	var prev string
	var last, keyedFrom int64
	if err := tx.row(`SELECT hash, last_id, keyed_from FROM chain_head WHERE id = 1`+tx.lockSuffix()).Scan(&prev, &last, &keyedFrom); err != nil {
		return mapErr(err)
	}
	// The id is part of the MAC, so it is taken before the insert: the
	// next after the head's on SQLite (writers are serialised), the identity
	// sequence's on PostgreSQL.
	next := last + 1
	if tx.dialect == Postgres {
		if err := tx.row(`SELECT nextval(pg_get_serial_sequence('events', 'id'))`).Scan(&next); err != nil {
			return mapErr(err)
		}
	}
	e.ID = next
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if e.Result == "" {
		e.Result = audit.DefaultResult(e.Action)
	}
	if e.Source == "" {
		if e.Source = audit.Source(tx.ctx); e.Source == "" {
			e.Source = "local"
		}
	}
	e.Hash = gengxin.EventMAC(k, prev, *e)
	if _, err := tx.exec(`INSERT INTO events (id, project_id, at, actor_id, actor, role, action, citation, from_status, to_status, summary, data, result, source, prev_hash, hash)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, e.ID, e.ProjectID, ts(e.At), e.ActorID, e.Actor, e.Role, e.Action, e.Citation,
		string(e.From), string(e.To), e.Summary, e.Data, e.Result, e.Source, prev, e.Hash); err != nil {
		return err
	}
	mac := k.MAC(e.Hash, gengxin.ChainHeadCanonical(e.ID, keyedFrom))
	_, err := tx.exec(`UPDATE chain_head SET hash = ?, last_id = ?, mac = ? WHERE id = 1`, e.Hash, e.ID, mac)
	return err
}

// AnchorChain gives the chain head its keyed MAC when it has none: after
// migration 003 on a database whose events were written before it (their
// unkeyed hashes are kept), and on a new database. It does nothing when the
// head already carries a MAC. App.New calls it at start-up.
func (tx *Tx) AnchorChain(k audit.Keyring) error {
	var hash, mac string
	var last, keyedFrom int64
	if err := tx.row(`SELECT hash, last_id, keyed_from, mac FROM chain_head WHERE id = 1`+tx.lockSuffix()).Scan(&hash, &last, &keyedFrom, &mac); err != nil {
		return mapErr(err)
	}
	if mac != "" {
		return nil
	}
	_, err := tx.exec(`UPDATE chain_head SET mac = ? WHERE id = 1 AND mac = ''`, k.MAC(hash, gengxin.ChainHeadCanonical(last, keyedFrom)))
	return err
}

const eventColumns = `id, project_id, at, actor_id, actor, role, action, citation, from_status, to_status, summary, data, result, source, prev_hash, hash`

func scanEvent(s scanner) (gengxin.Event, string, error) {
	var e gengxin.Event
	var at, from, to, prev string
	err := s.Scan(&e.ID, &e.ProjectID, &at, &e.ActorID, &e.Actor, &e.Role, &e.Action, &e.Citation, &from, &to, &e.Summary, &e.Data, &e.Result, &e.Source, &prev, &e.Hash)
	e.At, e.From, e.To = parseTS(at), gengxin.Status(from), gengxin.Status(to)
	return e, prev, err
}

// scanEvents reads every event of the result of a query (rows, err).
func scanEvents(rows *sql.Rows, err error) ([]gengxin.Event, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Event{}
	for rows.Next() {
		e, _, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// Events returns a project's events in order.
func (q q) Events(pid int64) ([]gengxin.Event, error) {
	rows, err := q.query(`SELECT `+eventColumns+` FROM events WHERE project_id = ? ORDER BY id`, pid)
	return scanEvents(rows, err)
}

// AuditFilter selects events for the audit administrator (all optional).
// From and To bound At (From ≤ At < To); ActorID, when non-zero, wins over
// Actor, a substring of the actor's name.
type AuditFilter struct {
	From, To      time.Time
	ActorID       int64
	Actor         string
	Action        string
	ProjectID     int64
	Result        string
	Limit, Offset int
}

// AuditEvents returns the events that match f, newest first, at most
// f.Limit of them (all when 0) from f.Offset on.
func (q q) AuditEvents(f AuditFilter) ([]gengxin.Event, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, ts(f.To))
	}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	} else if f.Actor != "" {
		where, args = append(where, "actor LIKE ? ESCAPE '\\'"), append(args, "%"+escapeLike(f.Actor)+"%")
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.ProjectID != 0 {
		where, args = append(where, "project_id = ?"), append(args, f.ProjectID)
	}
	if f.Result != "" {
		where, args = append(where, "result = ?"), append(args, f.Result)
	}
	query := `SELECT ` + eventColumns + ` FROM events`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := q.query(query, args...)
	return scanEvents(rows, err)
}

// EventSpan returns the number of events and the instants of the oldest
// and the newest (zero when there are none): `gengxin audit verify` shows
// them to confirm retention (≥ 183 days online; events are never deleted).
func (q q) EventSpan() (n int, oldest, newest time.Time, err error) {
	var lo, hi sql.NullString
	if err := q.row(`SELECT COUNT(*), MIN(at), MAX(at) FROM events`).Scan(&n, &lo, &hi); err != nil {
		return 0, oldest, newest, mapErr(err)
	}
	if lo.Valid {
		oldest = parseTS(lo.String)
	}
	if hi.Valid {
		newest = parseTS(hi.String)
	}
	return n, oldest, newest, nil
}

// ChainBreak describes the first record where the chain does not hold.
type ChainBreak struct {
	EventID int64
	Reason  string
}

// EventExists reports whether the system (actor id 0) has recorded an event
// with action: the sweep's once-only flags.
func (q q) EventExists(action string) (bool, error) {
	var n int
	err := q.row(`SELECT COUNT(*) FROM events WHERE actor_id = 0 AND action = ?`, action).Scan(&n)
	return n > 0, mapErr(err)
}

// KeyRotated is the action of the event that hands the audit chain from one
// key to the next: MACed with the old key, its data names both keys' ids.
const KeyRotated = "audit-key-rotated"

// keyRotation is the data of a KeyRotated event.
type keyRotation struct {
	OldKeyID string `json:"old_key_id"`
	NewKeyID string `json:"new_key_id"`
}

// IdentifiedKeyring is a Keyring with a fingerprint (audit.HMAC.ID), as key
// rotation needs to tell keys apart.
type IdentifiedKeyring interface {
	audit.Keyring
	ID() string
}

// RotateAuditKey hands the chain from the DB's current key (SetKeyring) to
// next: it appends a KeyRotated event MACed with the current key that names
// both keys, then re-signs the chain head with next, and from then on the
// DB writes with next. Every event before the rotation stays verifiable
// with the old key, every one after with the new (VerifyChainKeys). It must
// run while no server writes to the database with the old key.
func (db *DB) RotateAuditKey(ctx context.Context, actor string, next IdentifiedKeyring) error {
	cur, ok := db.keys.(IdentifiedKeyring)
	if !ok {
		return gengxin.Errorf(gengxin.EInternal, "未配置审计密钥")
	}
	if cur.ID() == next.ID() {
		return gengxin.Errorf(gengxin.EInvalid, "新密钥与当前密钥相同（指纹 %s）", cur.ID())
	}
	data, _ := json.Marshal(keyRotation{OldKeyID: cur.ID(), NewKeyID: next.ID()}) // two strings always marshal
	err := db.Tx(ctx, func(tx *Tx) error {
		e := &gengxin.Event{At: time.Now(), Actor: actor, Role: "system", Action: KeyRotated, Data: string(data),
			Summary: "审计密钥轮换：" + cur.ID() + " → " + next.ID() + "（本条记录用原密钥签名，其后记录用新密钥签名）"}
		if err := tx.AppendEvent(e); err != nil {
			return err
		}
		var keyedFrom int64
		if err := tx.row(`SELECT keyed_from FROM chain_head WHERE id = 1`).Scan(&keyedFrom); err != nil {
			return mapErr(err)
		}
		_, err := tx.exec(`UPDATE chain_head SET mac = ? WHERE id = 1`, next.MAC(e.Hash, gengxin.ChainHeadCanonical(e.ID, keyedFrom)))
		return err
	})
	if err != nil {
		return err
	}
	db.keys = next
	return nil
}

// HeadSignedBy reports whether the chain head carries k's signature, i.e.
// whether k is the key the chain is written with now (an empty chain: yes).
func (q q) HeadSignedBy(k audit.Keyring) (bool, error) {
	var head, mac string
	var last, keyedFrom int64
	if err := q.row(`SELECT hash, last_id, keyed_from, mac FROM chain_head WHERE id = 1`).Scan(&head, &last, &keyedFrom, &mac); err != nil {
		return false, mapErr(err)
	}
	if mac == "" {
		return last == 0, nil
	}
	return hmac.Equal([]byte(mac), []byte(k.MAC(head, gengxin.ChainHeadCanonical(last, keyedFrom)))), nil
}

// VerifyChain is VerifyChainKeys with one key: a chain never rotated.
func (q q) VerifyChain(k audit.Keyring) (int, *ChainBreak, error) {
	return q.VerifyChainKeys(k)
}

// VerifyChainKeys walks every event in id order and recomputes the chain:
// the keyed MAC of every event from the head's keyed_from on, the unkeyed
// SM3 hash of the events written before migration 003, and the head's own
// MAC. The chain starts with the key the first KeyRotated event names as
// old (or current, when it was never rotated) and moves to the next key at
// each KeyRotated event; current must be the last. older are the retired
// keys, found by fingerprint. It returns the number of events checked and
// the first break, or nil. With a wrong or missing key, the first event
// that needs it is the break.
func (q q) VerifyChainKeys(current audit.Keyring, older ...audit.Keyring) (int, *ChainBreak, error) {
	byID := map[string]audit.Keyring{}
	for _, k := range append([]audit.Keyring{current}, older...) {
		if ik, ok := k.(IdentifiedKeyring); ok {
			byID[ik.ID()] = k
		}
	}
	k := current
	var firstData string
	err := q.row(`SELECT data FROM events WHERE action = ? ORDER BY id LIMIT 1`, KeyRotated).Scan(&firstData)
	switch {
	case err == nil:
		var r keyRotation
		json.Unmarshal([]byte(firstData), &r)
		if k = byID[r.OldKeyID]; k == nil {
			return 0, &ChainBreak{1, "审计记录链曾轮换密钥，缺少最初的审计密钥（指纹 " + r.OldKeyID + "）；请用 --old-audit-key-file 提供"}, nil
		}
	case !errors.Is(err, sql.ErrNoRows):
		return 0, nil, mapErr(err)
	}
	var keyedFrom int64
	if err := q.row(`SELECT keyed_from FROM chain_head WHERE id = 1`).Scan(&keyedFrom); err != nil {
		return 0, nil, mapErr(err)
	}
	rows, err := q.query(`SELECT ` + eventColumns + ` FROM events ORDER BY id`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	prev, n := "", 0
	var lastID int64
	seen := map[string]int64{} // MAC → id, to name a forged tail
	for rows.Next() {
		e, storedPrev, err := scanEvent(rows)
		if err != nil {
			return n, nil, err
		}
		n++
		if storedPrev != prev {
			return n, &ChainBreak{e.ID, "前一记录的校验码不符（记录被删除、插入或重排）"}, nil
		}
		want := ""
		if e.ID >= keyedFrom {
			want = gengxin.EventMAC(k, prev, e)
		} else {
			want = gengxin.EventHash(prev, e)
		}
		if !hmac.Equal([]byte(want), []byte(e.Hash)) {
			return n, &ChainBreak{e.ID, "记录内容与其 HMAC-SM3 校验码不符（记录被篡改，或审计密钥不对）"}, nil
		}
		if e.Action == KeyRotated {
			var r keyRotation
			json.Unmarshal([]byte(e.Data), &r)
			if k = byID[r.NewKeyID]; k == nil {
				return n, &ChainBreak{e.ID + 1, "此后记录使用轮换后的审计密钥（指纹 " + r.NewKeyID + "），未提供该密钥"}, nil
			}
		}
		prev, lastID = e.Hash, e.ID
		seen[e.Hash] = e.ID
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	var head, mac string
	var headLast int64
	if err := q.row(`SELECT hash, last_id, keyed_from, mac FROM chain_head WHERE id = 1`).Scan(&head, &headLast, &keyedFrom, &mac); err != nil {
		return n, nil, mapErr(err)
	}
	if mac == "" {
		if n == 0 && head == "" {
			return 0, nil, nil // a new database before its first start
		}
		return n, &ChainBreak{lastID + 1, "链头没有密钥签名（链头被改写，或升级后尚未用审计密钥启动过系统）"}, nil
	}
	if !hmac.Equal([]byte(mac), []byte(k.MAC(head, gengxin.ChainHeadCanonical(headLast, keyedFrom)))) {
		return n, &ChainBreak{lastID + 1, "链头签名不符（链头被改写：末尾记录可能被删除或伪造，或审计密钥不对）"}, nil
	}
	if head != prev || headLast != lastID {
		if k, ok := seen[head]; ok {
			// The head names an earlier event: what follows it was appended
			// without moving the head, i.e. forged.
			return n, &ChainBreak{k + 1, "链头之后存在未登记的记录（记录被伪造追加）"}, nil
		}
		return n, &ChainBreak{lastID + 1, "链头与最后一条记录不符（末尾记录被删除）"}, nil
	}
	return n, nil, nil
}

// InsertOpinion stores a department opinion; a second opinion of the same
// department in the same round is a conflict.
func (tx *Tx) InsertOpinion(o *gengxin.Opinion) error {
	id, err := tx.insert(`INSERT INTO opinions (project_id, round, dept, verdict, text, actor, at) VALUES (?,?,?,?,?,?,?)`,
		o.ProjectID, o.Round, o.Dept, o.Verdict, o.Text, o.Actor, ts(o.At))
	o.ID = id
	return err
}

// Opinions returns a project's opinions, all rounds, in order.
func (q q) Opinions(pid int64) ([]gengxin.Opinion, error) {
	rows, err := q.query(`SELECT id, project_id, round, dept, verdict, text, actor, at FROM opinions WHERE project_id = ? ORDER BY round, id`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Opinion{}
	for rows.Next() {
		var o gengxin.Opinion
		var at string
		if err := rows.Scan(&o.ID, &o.ProjectID, &o.Round, &o.Dept, &o.Verdict, &o.Text, &o.Actor, &at); err != nil {
			return nil, err
		}
		o.At = parseTS(at)
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// InsertCorrection stores a correction notice.
func (tx *Tx) InsertCorrection(c *gengxin.Correction) error {
	items, _ := json.Marshal(c.Items)
	id, err := tx.insert(`INSERT INTO corrections (project_id, seq, number, items, reason, issued_on, issued_by, resolved_on, verify_code) VALUES (?,?,?,?,?,?,?,?,?)`,
		c.ProjectID, c.Seq, c.Number, string(items), c.Reason, c.IssuedOn, c.IssuedBy, c.ResolvedOn, c.VerifyCode)
	c.ID = id
	return err
}

// ResolveCorrection records the day a correction was answered.
func (tx *Tx) ResolveCorrection(id int64, on calendar.Date) error {
	_, err := tx.exec(`UPDATE corrections SET resolved_on = ? WHERE id = ?`, on, id)
	return err
}

// Corrections returns a project's correction notices in order.
func (q q) Corrections(pid int64) ([]gengxin.Correction, error) {
	rows, err := q.query(`SELECT id, project_id, seq, number, items, reason, issued_on, issued_by, resolved_on, verify_code FROM corrections WHERE project_id = ? ORDER BY seq`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Correction{}
	for rows.Next() {
		var c gengxin.Correction
		var items string
		if err := rows.Scan(&c.ID, &c.ProjectID, &c.Seq, &c.Number, &items, &c.Reason, &c.IssuedOn, &c.IssuedBy, &c.ResolvedOn, &c.VerifyCode); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(items), &c.Items); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// InsertAttachment stores an attachment's metadata.
func (tx *Tx) InsertAttachment(a *gengxin.Attachment) error {
	id, err := tx.insert(`INSERT INTO attachments (project_id, kind, filename, content_type, size, sha256, storage_name, uploaded_by, at) VALUES (?,?,?,?,?,?,?,?,?)`,
		a.ProjectID, a.Kind, a.Filename, a.ContentType, a.Size, a.SHA256, a.StorageName, a.UploadedBy, ts(a.At))
	a.ID = id
	return err
}

// Attachments returns a project's attachments.
func (q q) Attachments(pid int64) ([]gengxin.Attachment, error) {
	rows, err := q.query(`SELECT id, project_id, kind, filename, content_type, size, sha256, storage_name, uploaded_by, at FROM attachments WHERE project_id = ? ORDER BY id`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Attachment{}
	for rows.Next() {
		var a gengxin.Attachment
		var at string
		if err := rows.Scan(&a.ID, &a.ProjectID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.StorageName, &a.UploadedBy, &at); err != nil {
			return nil, err
		}
		a.At = parseTS(at)
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// InsertRecord stores a management record.
func (tx *Tx) InsertRecord(r *gengxin.Record) error {
	id, err := tx.insert(`INSERT INTO records (project_id, kind, text, actor, at) VALUES (?,?,?,?,?)`, r.ProjectID, r.Kind, r.Text, r.Actor, ts(r.At))
	r.ID = id
	return err
}

// Records returns a project's management records.
func (q q) Records(pid int64) ([]gengxin.Record, error) {
	rows, err := q.query(`SELECT id, project_id, kind, text, actor, at FROM records WHERE project_id = ? ORDER BY id DESC`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Record{}
	for rows.Next() {
		var r gengxin.Record
		var at string
		if err := rows.Scan(&r.ID, &r.ProjectID, &r.Kind, &r.Text, &r.Actor, &at); err != nil {
			return nil, err
		}
		r.At = parseTS(at)
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// InsertNotification stores an inbox message.
func (tx *Tx) InsertNotification(n *gengxin.Notification) error {
	id, err := tx.insert(`INSERT INTO notifications (org_id, user_id, district, dept, project_id, title, body, citation, at, read) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		n.OrgID, n.UserID, n.District, n.Dept, n.ProjectID, n.Title, n.Body, n.Citation, ts(n.At), false)
	n.ID = id
	return err
}

// GovDept is the dept a notification to a 区人民政府 carries.
const GovDept = "区人民政府"

// notificationDept is the dept u's notifications are addressed to: the
// 区人民政府 has no department of its own.
func notificationDept(u *gengxin.User) string {
	if u.Role == gengxin.RoleDistrictGov {
		return GovDept
	}
	return u.Dept
}

// NotificationsFor returns the newest inbox messages addressed to u: to the
// user, to the user's organisation, or to the user's district department.
func (q q) NotificationsFor(u *gengxin.User, limit int) ([]gengxin.Notification, error) {
	rows, err := q.query(`SELECT id, org_id, user_id, district, dept, project_id, title, body, citation, at, read FROM notifications
 WHERE user_id = ? OR (org_id <> 0 AND org_id = ?) OR (district <> '' AND district = ? AND ((dept <> '' AND dept = ?) OR (dept = '' AND ? = 'district_renewal')))
 ORDER BY id DESC LIMIT ?`, u.ID, u.OrgID, u.District, notificationDept(u), string(u.Role), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gengxin.Notification{}
	for rows.Next() {
		var n gengxin.Notification
		var at string
		if err := rows.Scan(&n.ID, &n.OrgID, &n.UserID, &n.District, &n.Dept, &n.ProjectID, &n.Title, &n.Body, &n.Citation, &at, &n.Read); err != nil {
			return nil, err
		}
		n.At = parseTS(at)
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// InsertDocument registers an issued document for public verification.
func (tx *Tx) InsertDocument(d *gengxin.IssuedDocument) error {
	_, err := tx.exec(`INSERT INTO documents (code, kind, number, project_id, project, district, issuer, issued_on, sha256) VALUES (?,?,?,?,?,?,?,?,?)`,
		d.Code, d.Kind, d.Number, d.ProjectID, d.Project, d.District, d.Issuer, d.IssuedOn, d.SHA256)
	return err
}

// Document returns the issued document with the verification code, or ENotFound.
func (q q) Document(code string) (*gengxin.IssuedDocument, error) {
	var d gengxin.IssuedDocument
	err := q.row(`SELECT code, kind, number, project_id, project, district, issuer, issued_on, sha256 FROM documents WHERE code = ?`, code).
		Scan(&d.Code, &d.Kind, &d.Number, &d.ProjectID, &d.Project, &d.District, &d.Issuer, &d.IssuedOn, &d.SHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gengxin.Errorf(gengxin.ENotFound, "未找到该验证码对应的文书，请核对后重新输入")
	}
	return &d, mapErr(err)
}

// NextCounter increments and returns the named counter (notice numbers).
func (tx *Tx) NextCounter(name string) (int, error) {
	if _, err := tx.exec(`INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return 0, err
	}
	var v int
	err := tx.row(`UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value`, name).Scan(&v)
	return v, mapErr(err)
}

// PutCalendarYear stores an operator-loaded holiday year (JSON), replacing
// an earlier load of the same year.
func (tx *Tx) PutCalendarYear(year int, data []byte, by string, at time.Time) error {
	_, err := tx.exec(`INSERT INTO calendar_years (year, data, loaded_at, loaded_by) VALUES (?,?,?,?)
 ON CONFLICT (year) DO UPDATE SET data = excluded.data, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by`,
		year, string(data), ts(at), by)
	return err
}

// CalendarYears returns the operator-loaded holiday years as stored JSON.
func (q q) CalendarYears() (map[int][]byte, error) {
	rows, err := q.query(`SELECT year, data FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int][]byte{}
	for rows.Next() {
		var y int
		var d string
		if err := rows.Scan(&y, &d); err != nil {
			return nil, err
		}
		out[y] = []byte(d)
	}
	return out, mapErr(rows.Err())
}

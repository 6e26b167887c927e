package store

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gengxin/calendar"
)

// Publication is a 公告 (announcement) or 公示 (publicity) of the public
// portal as stored. The period StartsOn…EndsOn (both inclusive) was computed
// by the procedure that published it (SourceKind, SourceID) and is stored
// with its Citation; Documents is a JSON list of {title, url}.
type Publication struct {
	ID         int64         `json:"id"`
	Kind       string        `json:"kind"`
	Title      string        `json:"title"`
	Body       string        `json:"body"`
	District   string        `json:"district,omitempty"`
	Issuer     string        `json:"issuer"`
	SourceKind string        `json:"source_kind"`
	SourceID   int64         `json:"source_id"`
	StartsOn   calendar.Date `json:"starts_on"`
	EndsOn     calendar.Date `json:"ends_on"`
	Citation   string        `json:"citation"`
	PeriodNote string        `json:"period_note,omitempty"`
	Documents  string        `json:"-"`
	CreatedAt  time.Time     `json:"created_at"`
	CreatedBy  string        `json:"-"`
}

// PublicationComment is a public comment on a publication. Name and Contact
// are personal data, sealed at rest; they are never shown publicly.
type PublicationComment struct {
	ID            int64     `json:"id"`
	PublicationID int64     `json:"publication_id"`
	Name          string    `json:"name,omitempty"`
	Contact       string    `json:"contact,omitempty"`
	Body          string    `json:"body"`
	CreatedAt     time.Time `json:"created_at"`
	Response      string    `json:"response,omitempty"`
	RespondedAt   time.Time `json:"responded_at,omitzero"`
	RespondedBy   string    `json:"responded_by,omitempty"`
	Moderation    string    `json:"moderation"` // CommentPending, CommentPublished, CommentHidden
	ModeratedBy   string    `json:"moderated_by,omitempty"`
}

const pubCols = `id, kind, title, body, district, issuer, source_kind, source_id, starts_on, ends_on, citation, period_note, documents, created_at, created_by`

// InsertPublication stores p and sets p.ID.
func (tx *Tx) InsertPublication(p *Publication) error {
	id, err := tx.insert(`INSERT INTO publications (kind, title, body, district, issuer, source_kind, source_id, starts_on, ends_on, citation, period_note, documents, created_at, created_by)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, p.Kind, p.Title, p.Body, p.District, p.Issuer, p.SourceKind, p.SourceID, p.StartsOn, p.EndsOn,
		p.Citation, p.PeriodNote, p.Documents, ts(p.CreatedAt), p.CreatedBy)
	p.ID = id
	return err
}

func scanPubs(rows *sql.Rows) ([]*Publication, error) {
	return scanAll(rows, func(rows *sql.Rows) (*Publication, error) {
		var p Publication
		var at string
		if err := rows.Scan(&p.ID, &p.Kind, &p.Title, &p.Body, &p.District, &p.Issuer, &p.SourceKind, &p.SourceID, &p.StartsOn, &p.EndsOn,
			&p.Citation, &p.PeriodNote, &p.Documents, &at, &p.CreatedBy); err != nil {
			return nil, err
		}
		p.CreatedAt = parseTS(at)
		return &p, nil
	})
}

// Publication returns publication id, or ENotFound.
func (q q) Publication(id int64) (*Publication, error) {
	rows, err := q.query(`SELECT `+pubCols+` FROM publications WHERE id = ?`, id)
	return one(rows, err, scanPubs, "公告或公示")
}

// PublicationFilter selects publications. Status is relative to Today:
// "upcoming" (starts after), "open" (running), "closed" (ended); "" = all.
// Source filters by (SourceKind, SourceID) when SourceKind is set.
type PublicationFilter struct {
	Kind       string
	District   string
	Status     string
	Today      calendar.Date
	SourceKind string
	SourceID   int64
	Limit      int // 0 = 200
}

// Publications returns the publications matching f, newest start first.
func (q q) Publications(f PublicationFilter) ([]*Publication, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.District != "" {
		where, args = append(where, "district = ?"), append(args, f.District)
	}
	if f.SourceKind != "" {
		where, args = append(where, "source_kind = ? AND source_id = ?"), append(args, f.SourceKind, f.SourceID)
	}
	switch f.Status {
	case "upcoming":
		where, args = append(where, "starts_on > ?"), append(args, f.Today)
	case "open":
		where, args = append(where, "starts_on <= ? AND ends_on >= ?"), append(args, f.Today, f.Today)
	case "closed":
		where, args = append(where, "ends_on < ?"), append(args, f.Today)
	case "":
	default:
		return nil, fmt.Errorf("store: bad publication status %q", f.Status)
	}
	query := `SELECT ` + pubCols + ` FROM publications`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	query += " ORDER BY starts_on DESC, id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := q.query(query, args...)
	if err != nil {
		return nil, err
	}
	return scanPubs(rows)
}

// InsertComment stores c with its name and contact sealed, and sets c.ID.
func (tx *Tx) InsertComment(c *PublicationComment) error {
	name, err := tx.db.seal(c.Name)
	if err != nil {
		return err
	}
	contact, err := tx.db.seal(c.Contact)
	if err != nil {
		return err
	}
	c.ID, err = tx.insert(`INSERT INTO publication_comments (publication_id, name, contact, body, created_at) VALUES (?,?,?,?,?)`,
		c.PublicationID, name, contact, c.Body, ts(c.CreatedAt))
	return err
}

// RespondComment records the response to comment id of publication pub.
// EConflict when it has been answered already (the loser of two
// concurrent responses); ENotFound when there is no such comment.
func (tx *Tx) RespondComment(pub, id int64, response, by string, at time.Time) error {
	r, err := tx.exec(`UPDATE publication_comments SET response = ?, responded_at = ?, responded_by = ?,
 moderation = CASE WHEN moderation = 'hidden' THEN 'hidden' ELSE 'published' END WHERE id = ? AND publication_id = ? AND response = ''`,
		response, ts(at), by, id, pub)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n == 1 {
		return nil
	}
	var n int
	if err := tx.row(`SELECT COUNT(*) FROM publication_comments WHERE id = ? AND publication_id = ?`, id, pub).Scan(&n); err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return notFound("意见")
	}
	return conflict("该意见已答复，不能重复答复")
}

// The moderation states of a comment.
const (
	CommentPending   = "pending"   // 待审核: not public
	CommentPublished = "published" // 已公开 (with its answer, once answered)
	CommentHidden    = "hidden"    // 不予公开 (e.g. abusive or off-topic), kept for the record
)

// ModerateComment sets the moderation state of comment id of publication
// pub. ENotFound when there is no such comment.
func (tx *Tx) ModerateComment(pub, id int64, state, by string) error {
	r, err := tx.exec(`UPDATE publication_comments SET moderation = ?, moderated_by = ? WHERE id = ? AND publication_id = ?`, state, by, id, pub)
	if err != nil {
		return mapErr(err)
	}
	if n, err := r.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n == 0 {
		return notFound("意见")
	}
	return nil
}

// Comments returns the comments of publication pub in order, with name
// and contact opened (callers decide who may read them).
func (q q) Comments(pub int64) ([]*PublicationComment, error) {
	rows, err := q.query(`SELECT id, publication_id, name, contact, body, created_at, response, responded_at, responded_by, moderation, moderated_by
 FROM publication_comments WHERE publication_id = ? ORDER BY id`, pub)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (*PublicationComment, error) {
		var c PublicationComment
		var at, rat string
		err := rows.Scan(&c.ID, &c.PublicationID, &c.Name, &c.Contact, &c.Body, &at, &c.Response, &rat, &c.RespondedBy, &c.Moderation, &c.ModeratedBy)
		if err != nil {
			return nil, err
		}
		c.CreatedAt, c.RespondedAt = parseTS(at), parseTS(rat)
		if c.Name, err = q.db.open(c.Name); err != nil {
			return nil, fmt.Errorf("意见 %d 的姓名：%w", c.ID, err)
		}
		if c.Contact, err = q.db.open(c.Contact); err != nil {
			return nil, fmt.Errorf("意见 %d 的联系方式：%w", c.ID, err)
		}
		return &c, nil
	})
}

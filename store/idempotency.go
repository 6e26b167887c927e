package store

import (
	"database/sql"
	"errors"
	"time"
)

// IdempotencyKey is a reserved or completed Idempotency-Key of a user
// (migration 006). Status 0 means reserved: the action is running, or the
// process stopped between running it and storing its response.
type IdempotencyKey struct {
	UserID     int64
	Key        string
	Method     string
	Path       string
	BodySHA256 string
	Status     int
	Response   string
	CreatedAt  time.Time
}

// Pending reports whether the key is reserved but has no stored response.
func (k *IdempotencyKey) Pending() bool { return k.Status == 0 }

// ReserveIdempotencyKey reserves k (status 0) unless the user already holds
// the key. It returns nil when k was reserved, else the row that holds the
// key. A row created before expired is deleted first, so an expired key is
// reserved afresh.
func (tx *Tx) ReserveIdempotencyKey(k *IdempotencyKey, expired time.Time) (*IdempotencyKey, error) {
	if _, err := tx.exec(`DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at < ?`, k.UserID, k.Key, ts(expired)); err != nil {
		return nil, err
	}
	res, err := tx.exec(`INSERT INTO idempotency_keys(user_id, key, method, path, body_sha256, status, response, created_at)
VALUES (?, ?, ?, ?, ?, 0, '', ?) ON CONFLICT (user_id, key) DO NOTHING`,
		k.UserID, k.Key, k.Method, k.Path, k.BodySHA256, ts(k.CreatedAt))
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n == 1 {
		return nil, nil
	}
	var got IdempotencyKey
	var created string
	err = tx.row(`SELECT user_id, key, method, path, body_sha256, status, response, created_at FROM idempotency_keys WHERE user_id = ? AND key = ?`, k.UserID, k.Key).
		Scan(&got.UserID, &got.Key, &got.Method, &got.Path, &got.BodySHA256, &got.Status, &got.Response, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("幂等键")
	}
	if err != nil {
		return nil, mapErr(err)
	}
	got.CreatedAt = parseTS(created)
	return &got, nil
}

// CompleteIdempotencyKey stores the response of a reserved key.
func (tx *Tx) CompleteIdempotencyKey(userID int64, key string, status int, response string) error {
	_, err := tx.exec(`UPDATE idempotency_keys SET status = ?, response = ? WHERE user_id = ? AND key = ? AND status = 0`, status, response, userID, key)
	return err
}

// ReleaseIdempotencyKey deletes a reserved key whose action did not take
// effect (a retryable failure), so that the client may retry with it.
func (tx *Tx) ReleaseIdempotencyKey(userID int64, key string) error {
	_, err := tx.exec(`DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status = 0`, userID, key)
	return err
}

// PurgeIdempotencyKeys deletes the keys created before t and returns how
// many it deleted.
func (tx *Tx) PurgeIdempotencyKeys(before time.Time) (int64, error) {
	res, err := tx.exec(`DELETE FROM idempotency_keys WHERE created_at < ?`, ts(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Package keyfile reads and creates the key files that keep secrets outside
// the database (the audit trail's HMAC-SM3 key, the SM4 data key). A key file
// holds the key as hex or as raw bytes and may be read by its owner only.
package keyfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Read returns the contents of the key file at path. A file that others than
// its owner may read is refused. what names the key in the Chinese messages
// (e.g. "审计密钥").
func Read(path, what string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s文件不存在：%s", what, path)
		}
		return nil, fmt.Errorf("无法读取%s文件 %s：%w", what, path, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s文件 %s 的权限为 %04o，只允许属主读写（chmod 600）", what, path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取%s文件 %s：%w", what, path, err)
	}
	return b, nil
}

// Load reads the key file at path (Read) and parses its contents with
// parse; a parse error is prefixed with path.
func Load[K any](path, what string, parse func([]byte) (K, error)) (K, error) {
	var zero K
	b, err := Read(path, what)
	if err != nil {
		return zero, err
	}
	k, err := parse(b)
	if err != nil {
		return zero, fmt.Errorf("%s：%w", path, err)
	}
	return k, nil
}

// Create writes n random bytes as hex to path (mode 0600, synced), refusing
// to overwrite an existing file, and returns the bytes.
func Create(path, what string, n int) ([]byte, error) {
	key := make([]byte, n)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("无法创建%s文件 %s：%w", what, path, err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return key, nil
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gengxin/store"
	"gengxin/uscc"
)

// TestCrashHarness runs the real binary under write load and kills it with
// SIGKILL at a random moment, GENGXIN_CRASH_KILLS times (5 by default; CI
// runs 20 in a step of its own, the documented run 50). After each kill it
// checks the database as the next start finds it: every draft whose 201
// reached the client exists (0 acknowledged writes lost), every project has
// its create event and every create event its project (0 partial
// transactions), PRAGMA integrity_check answers ok, and `gengxin audit
// verify` exits 0. Some requests carry an Idempotency-Key: every stored
// response's project exists too.
func TestCrashHarness(t *testing.T) {
	kills := 5
	if v := os.Getenv("GENGXIN_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("GENGXIN_CRASH_KILLS=%q: want a positive integer", v)
		}
		kills = n
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gengxin")
	build := exec.Command("go", "build", "-tags", "purego", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbPath := filepath.Join(dir, "crash.db")
	dsn := "sqlite:" + dbPath
	key := filepath.Join(dir, "audit.key")
	os.WriteFile(key, []byte(strings.Repeat("0123456789abcdef", 4)+"\n"), 0o600)
	env := append(os.Environ(), "GENGXIN_AUDIT_KEY_FILE=", "GENGXIN_AUDIT_KEY=", "GENGXIN_DATA_KEY_FILE=", "GENGXIN_DATA_KEY=", "GENGXIN_DB=")
	const password = "Crash-Test-Passw0rd-2024"
	add := exec.Command(bin, "user", "add", "--db", dsn, "--audit-key-file", key, "--username", "co", "--role", "applicant",
		"--org", "北京某某置业有限公司", "--uscc", uscc.Complete("91110105MA01ABCD1"))
	add.Env = env
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}

	acked := map[int64]bool{} // every project id answered 201
	var totalAcked, totalIdem, totalRefused int
	client := &http.Client{Timeout: 10 * time.Second}
	for round := 1; round <= kills; round++ {
		port := freePort(t)
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		var logs bytes.Buffer
		srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:"+strconv.Itoa(port), "--db", dsn, "--audit-key-file", key, "--files", filepath.Join(dir, "files"))
		srv.Env = env
		srv.Stdout, srv.Stderr = &logs, &logs
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- srv.Wait() }()
		if !waitHealthy(client, base, exited) {
			srv.Process.Kill()
			<-exited
			t.Fatalf("round %d: the server did not start:\n%s", round, logs.String())
		}
		tok := login(t, client, base, password)

		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		var wg sync.WaitGroup
		roundAcked := 0
		for w := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					body := fmt.Sprintf(`{"name":"崩溃测试老旧厂房更新项目%d-%d-%d","category":"产业类","district":"朝阳区"}`, round, w, i)
					req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/projects", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tok)
					idem := i%2 == 1
					if idem {
						req.Header.Set("Idempotency-Key", fmt.Sprintf("crash-%d-%d-%d", round, w, i))
					}
					res, err := client.Do(req)
					if err != nil {
						continue // killed mid-request: not acknowledged
					}
					b, err := io.ReadAll(res.Body)
					res.Body.Close()
					if err != nil {
						continue // killed while answering: not acknowledged
					}
					if res.StatusCode != http.StatusCreated {
						mu.Lock()
						totalRefused++
						mu.Unlock()
						if res.StatusCode == http.StatusTooManyRequests {
							time.Sleep(50 * time.Millisecond)
						}
						continue
					}
					var p struct{ ID int64 }
					if err := json.Unmarshal(b, &p); err != nil || p.ID == 0 {
						t.Errorf("201 without an id: %s", b) // the body was cut: not acknowledged
						continue
					}
					mu.Lock()
					acked[p.ID] = true
					roundAcked++
					if idem {
						totalIdem++
					}
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(30+rand.IntN(400)) * time.Millisecond)
		srv.Process.Kill() // SIGKILL
		<-exited
		cancel()
		wg.Wait()
		totalAcked += roundAcked
		checkAfterCrash(t, round, bin, dsn, dbPath, key, env, acked)
		if t.Failed() {
			t.Logf("server log of round %d:\n%s", round, logs.String())
			return
		}
	}
	t.Logf("crash harness: %d SIGKILLs under write load, %d writes acknowledged (%d with an Idempotency-Key), %d refused (429/409), lost 0, partial transactions 0, integrity_check ok, audit chain verified after every kill",
		kills, totalAcked, totalIdem, totalRefused)
	if totalAcked == 0 {
		t.Fatal("no write was acknowledged: the harness did not exercise anything")
	}
}

// checkAfterCrash opens the database left by a SIGKILL and checks it.
func checkAfterCrash(t *testing.T, round int, bin, dsn, dbPath, key string, env []string, acked map[int64]bool) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(dsn) // recovers the WAL as the next start does
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := store.IntegrityCheck(ctx, dbPath); err != nil {
		t.Errorf("round %d: %v", round, err)
	}
	c, err := sqlOpenRO(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ids := map[int64]bool{}
	rows, err := c.Query(`SELECT id FROM projects`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids[id] = true
	}
	rows.Close()
	lost := 0
	for id := range acked {
		if !ids[id] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("round %d: %d acknowledged drafts lost", round, lost)
	}
	var projects, creates, orphans, events int64
	c.QueryRow(`SELECT COUNT(*) FROM projects`).Scan(&projects)
	c.QueryRow(`SELECT COUNT(*) FROM events WHERE action = 'create'`).Scan(&creates)
	c.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&events)
	c.QueryRow(`SELECT COUNT(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = p.id AND e.action = 'create')`).Scan(&orphans)
	if orphans != 0 || creates != projects || events < projects {
		t.Errorf("round %d: partial transactions: %d projects, %d create events, %d without one, %d events", round, projects, creates, orphans, events)
	}
	// Every stored Idempotency-Key response names a project that exists.
	rows, err = c.Query(`SELECT response FROM idempotency_keys WHERE status = 201`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var resp string
		rows.Scan(&resp)
		var p struct{ ID int64 }
		if json.Unmarshal([]byte(resp), &p); !ids[p.ID] {
			t.Errorf("round %d: a stored idempotent response names project %d, which does not exist", round, p.ID)
		}
	}
	rows.Close()
	verify := exec.Command(bin, "audit", "verify", "--db", dsn, "--audit-key-file", key)
	verify.Env = env
	if out, err := verify.CombinedOutput(); err != nil {
		t.Errorf("round %d: audit verify: %v\n%s", round, err, out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitHealthy polls /healthz until it answers 200, the process exits, or 20 s pass.
func waitHealthy(c *http.Client, base string, exited chan error) bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return false
		default:
		}
		if res, err := c.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func login(t *testing.T, c *http.Client, base, password string) string {
	t.Helper()
	res, err := c.Post(base+"/api/v1/login", "application/json", strings.NewReader(fmt.Sprintf(`{"username":"co","password":%q}`, password)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || json.Unmarshal(b, &out) != nil || out.Token == "" {
		t.Fatalf("login: %d %s", res.StatusCode, b)
	}
	return out.Token
}

func sqlOpenRO(path string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+path+"?mode=ro")
}

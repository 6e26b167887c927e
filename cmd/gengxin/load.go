package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite"
)

// loadDraft is the project each load step submits: an 产业类 project of
// 朝阳区 with everything 第九条 asks for (NAME is replaced).
const loadDraft = `{"name":"NAME","category":"产业类","district":"朝阳区","street":"酒仙桥街道","address":"朝阳区酒仙桥路10号","goal":"闲置厂房改造为科创空间","fund_estimate_wan":"12000.5","entity_role":"实施主体","complies_with_plans":true}`

// load measures the write path of a running gengxin from outside it
// (issue 2, docs/PERFORMANCE.md): as an applicant it creates N drafts,
// then submits them through the JSON API from C concurrent clients — each
// submission a durable procedure step — and, with --raw-dir on the disk of
// the server's database, compares the rate with raw durable single-row
// SQLite commits measured there in alternating rounds. It writes N
// projects into the target system: use a test database.
func load(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	base := fs.String("url", "http://127.0.0.1:8080", "被测 gengxin 的地址")
	username := fs.String("username", "qiye1", "申报企业账号（口令从标准输入读取）")
	steps := fs.Int("steps", 1000, "提交申报的次数")
	clients := fs.Int("clients", 8, "并发客户端数")
	rawDir := fs.String("raw-dir", "", "在此目录测量 SQLite 原始持久提交速率作对照（应与被测服务的数据库在同一磁盘）；为空则不测")
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *steps < 1 || *clients < 1 {
		return usageErr("--steps 与 --clients 应为正整数")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return usageErr("请从标准输入提供口令")
	}
	password := strings.TrimRight(line, "\r\n")

	c := &loadClient{base: strings.TrimRight(*base, "/"), http: &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConns: *clients + 4, MaxIdleConnsPerHost: *clients + 4},
	}}
	var login struct{ Token string }
	body, _ := json.Marshal(map[string]string{"username": *username, "password": password})
	if err := c.do(ctx, "POST", "/api/v1/login", string(body), 200, &login); err != nil {
		return fmt.Errorf("登录失败：%w", err)
	}
	c.token = login.Token

	var raw *sql.DB
	if *rawDir != "" {
		f, err := os.CreateTemp(*rawDir, "gengxin-load-raw-*.db")
		if err != nil {
			return err
		}
		f.Close()
		path := f.Name()
		defer func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}()
		if raw, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"); err != nil {
			return err
		}
		defer raw.Close()
		raw.SetMaxOpenConns(1)
		if _, err := raw.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			return err
		}
	}

	fmt.Fprintf(stdout, "准备：以 %s 新建 %d 个项目草稿……\n", *username, *steps)
	stamp := time.Now().Format("0102150405")
	ids := make([]int64, *steps)
	if err := parallelErr(*clients, *steps, func(i int) error {
		var p struct{ ID int64 }
		d := strings.Replace(loadDraft, "NAME", fmt.Sprintf("压力测试项目%s-%05d", stamp, i+1), 1)
		if err := c.do(ctx, "POST", "/api/v1/projects", d, 201, &p); err != nil {
			return err
		}
		ids[i] = p.ID
		return nil
	}); err != nil {
		return fmt.Errorf("新建草稿失败：%w", err)
	}

	const rounds = 5
	var rawTime, apiTime time.Duration
	lat := make([]time.Duration, *steps)
	per := (*steps + rounds - 1) / rounds
	for lo := 0; lo < *steps; lo += per {
		hi := min(lo+per, *steps)
		if raw != nil {
			start := time.Now()
			for i := lo; i < hi; i++ {
				if _, err := raw.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, "城市更新"+strconv.Itoa(i)); err != nil {
					return err
				}
			}
			rawTime += time.Since(start)
		}
		start := time.Now()
		if err := parallelErr(*clients, hi-lo, func(i int) error {
			t0 := time.Now()
			err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/projects/%d/actions/submit", ids[lo+i]), "", 200, nil)
			lat[lo+i] = time.Since(t0)
			return err
		}); err != nil {
			return fmt.Errorf("提交申报失败：%w", err)
		}
		apiTime += time.Since(start)
	}
	slices.Sort(lat)
	q := func(p float64) string {
		return fmt.Sprintf("%.1f ms", float64(lat[int(p*float64(len(lat)-1))].Microseconds())/1000)
	}
	apiRate := float64(*steps) / apiTime.Seconds()
	fmt.Fprintf(stdout, "写入路径：%d 次“提交申报”（每次一个持久的办理步骤），%d 个并发客户端\n", *steps, *clients)
	fmt.Fprintf(stdout, "  API：%.0f 步/秒（耗时 p50 %s，p95 %s，p99 %s）\n", apiRate, q(0.5), q(0.95), q(0.99))
	if raw != nil {
		rawRate := float64(*steps) / rawTime.Seconds()
		fmt.Fprintf(stdout, "  SQLite 原始持久提交（WAL，synchronous=FULL，单行，逐条，%s）：%.0f 次/秒\n", *rawDir, rawRate)
		fmt.Fprintf(stdout, "  比值：%.2f（两者分 %d 轮交替测量；issue 2 要求 ≥ 0.5）\n", apiRate/rawRate, rounds)
	}
	return nil
}

// loadClient calls the JSON API with a bearer token.
type loadClient struct {
	base, token string
	http        *http.Client
}

func (c *loadClient) do(ctx context.Context, method, path, body string, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode == http.StatusTooManyRequests {
		return errors.New("被测服务限制了请求频率（429）：请以 --api-rate 1000000 启动被测服务")
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s：状态 %d（应为 %d）：%s", method, path, res.StatusCode, want, bytes.TrimSpace(b))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// parallelErr runs fn(0…n-1) on the given number of goroutines and returns
// the first error (the others stop taking work).
func parallelErr(workers, n int, fn func(i int) error) error {
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	var (
		wg   sync.WaitGroup
		once sync.Once
		ferr error
		stop = make(chan struct{})
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				select {
				case <-stop:
					return
				default:
				}
				if err := fn(i); err != nil {
					once.Do(func() { ferr = err; close(stop) })
					return
				}
			}
		}()
	}
	wg.Wait()
	return ferr
}

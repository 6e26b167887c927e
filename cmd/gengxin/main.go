// Command gengxin is the Beijing Urban Renewal Information System
// (北京市城市更新信息系统): the server and the operators' command line.
// See DESIGN.md §4 for the contract of each subcommand.
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/crypt"
	gxhttp "gengxin/http"
	"gengxin/rules"
	"gengxin/store"
)

const usage = `gengxin — 北京市城市更新信息系统

用法：
  gengxin serve [--addr 127.0.0.1:8080] [--db DSN] [--demo] [--clock 2024-09-27T10:00:00+08:00] [--files DIR] [--base-url URL] [--trusted-proxies CIDR,...] [--api-rate N]
  gengxin workdays add YYYY-MM-DD N          N 个工作日后的日期
  gengxin workdays between A B               A < d ≤ B 的工作日数
  gengxin workdays explain YYYY-MM-DD N      逐日计算过程
  gengxin rules eval                         事实（stdin，JSON）→ 结论（stdout）
  gengxin user add --username U --role ROLE [--district 朝阳区] [--dept 发展改革] [--org NAME --uscc CODE] [--name 姓名]   （密码从标准输入读取）
  gengxin sweep --at YYYY-MM-DD [--db DSN]   执行到期自动事项（第二十条(一)自动出库、时限逾期标记等）
  gengxin demo --projects N [--db DSN]       生成 N 个确定性的合成项目（规模测试、培训）
  gengxin audit verify [--db DSN] [--audit-key-file PATH] [--old-audit-key-file PATH,...]
                                                            用审计密钥校验审计记录链（HMAC-SM3），报告第一条异常记录和最早记录日期
  gengxin audit rotate [--db DSN] [--audit-key-file PATH] --new-audit-key-file PATH
                                                            轮换审计密钥（须先停止服务）：轮换记录用原密钥签名，其后用新密钥
  gengxin calendar load FILE [--db DSN]      载入或更正一年的节假日安排（JSON）
  gengxin migrate [--db DSN] [--app-role NAME]  仅执行数据库迁移；PostgreSQL 可同时为应用角色授权（审计记录只可追加）
  gengxin backup --out PATH [--db DSN]       在线备份 SQLite 数据库（服务运行中亦可；PostgreSQL 请用 pg_dump）
  gengxin load [--url URL] [--username qiye1] [--steps N] [--clients C] [--raw-dir DIR]
                                                            写入路径压测（口令从标准输入读取）：新建并提交 N 个项目，报告步/秒，
                                                            可与 DIR 所在磁盘上 SQLite 原始持久提交速率比较。会写入被测系统，请对测试库使用

DSN：sqlite:路径（默认 sqlite:gengxin.db，环境变量 GENGXIN_DB）或 postgres://…

审计密钥（HMAC-SM3，存放在数据库之外，≥32字节随机数，十六进制或原始字节）：
  --password-kdf pbkdf2-sm3 或环境变量 GENGXIN_PASSWORD_KDF：新口令以 PBKDF2-HMAC-SM3 存储（默认 pbkdf2-sha256；两种都可校验）。
  --audit-key-file PATH 或环境变量 GENGXIN_AUDIT_KEY_FILE，或 GENGXIN_AUDIT_KEY（十六进制）。
  均未提供时：SQLite 使用数据库旁的 <数据库文件>.auditkey（不存在则创建，权限 0600）；
  PostgreSQL 必须显式提供。

数据密钥（SM4-GCM 加密个人信息：项目联系人及电话、动态口令密钥；128位随机数，十六进制）：
  --data-key-file PATH 或环境变量 GENGXIN_DATA_KEY_FILE，或 GENGXIN_DATA_KEY（十六进制，32位）。
  均未提供时：SQLite 使用数据库旁的 <数据库文件>.datakey（不存在则创建，权限 0600）；
  PostgreSQL 必须显式提供。密钥丢失则个人信息无法恢复，请与审计密钥一样另行备份。
`

func main() {
	os.Exit(Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Run executes one command and returns its exit status: 0 success, 1 a
// failure the command found (e.g. a broken event chain), 2 bad input.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "workdays":
		err = workdays(args[1:], stdout)
	case "rules":
		if len(args) < 2 || args[1] != "eval" {
			err = usageErr("用法：gengxin rules eval < facts.json")
			break
		}
		err = rules.EvalJSON(stdin, stdout, calendar.Default(), calendar.DateIn(time.Now()))
	case "user":
		err = userCmd(ctx, args[1:], stdin, stdout)
	case "sweep":
		err = sweep(ctx, args[1:], stdout)
	case "demo":
		err = demo(ctx, args[1:], stdout)
	case "audit":
		return auditCmd(ctx, args[1:], stdout, stderr)
	case "calendar":
		err = calendarCmd(ctx, args[1:], stdout)
	case "backup":
		err = backup(ctx, args[1:], stdout)
	case "load":
		err = load(ctx, args[1:], stdin, stdout)
	case "migrate":
		var db *store.DB
		fs := flagSet("migrate")
		appRole := fs.String("app-role", "", "PostgreSQL：迁移后为应用角色授权（审计记录只可追加，见 docs/SECURITY.md）")
		db, err = openDB(ctx, fs, args[1:])
		if err == nil {
			fmt.Fprintln(stdout, "数据库迁移完成")
			if *appRole != "" {
				if err = db.GrantAppRole(ctx, *appRole); err == nil {
					fmt.Fprintf(stdout, "已为应用角色 %s 授权：业务表可读写，审计记录（events）只可查询和追加\n", *appRole)
				}
			}
			db.Close()
		}
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageErr("未知命令：" + args[0] + "\n\n" + usage)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "错误："+message(err))
	var ue usageError
	var ie *rules.InputError
	if errors.As(err, &ue) || errors.As(err, &ie) || gengxin.ErrorCode(err) == gengxin.EInvalid || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

type usageError string

func (e usageError) Error() string { return string(e) }

func usageErr(s string) error { return usageError(s) }

func message(err error) string {
	if e := gengxin.AsError(err); e != nil {
		s := e.Message
		for _, d := range e.Details {
			if !strings.Contains(s, d.Message) {
				s += "；" + d.Message
			}
		}
		return s
	}
	return err.Error()
}

func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("db", "", "数据库 DSN（默认 sqlite:gengxin.db，或环境变量 GENGXIN_DB）")
	fs.String("audit-key-file", "", "审计密钥文件（或环境变量 GENGXIN_AUDIT_KEY_FILE / GENGXIN_AUDIT_KEY）")
	fs.String("data-key-file", "", "数据密钥文件，SM4 加密个人信息（或环境变量 GENGXIN_DATA_KEY_FILE / GENGXIN_DATA_KEY）")
	fs.String("password-kdf", "", "新口令的摘要算法：pbkdf2-sha256（默认）或 pbkdf2-sm3（或环境变量 GENGXIN_PASSWORD_KDF）")
	return fs
}

// keySource names where one kind of key may come from: a flag, an env
// variable with a file path, an env variable with hex, and the file beside a
// SQLite database. Keys never live in the database.
type keySource[K any] struct {
	name                          string // 审计密钥 / 数据密钥
	flag, envFile, envHex, suffix string
	pgMissing                     string // the Chinese message when PostgreSQL has no key
	load                          func(path string) (K, error)
	parseHex                      func(hex string) (K, error)
	create                        func(path string) (K, error)
}

// resolve returns the key of src: the flag, then envFile, then envHex.
// Without any, a SQLite database uses <db><suffix> beside it, created (mode
// 0600) when create is set and it does not exist; PostgreSQL requires a key.
func (src keySource[K]) resolve(fs *flag.FlagSet, create bool) (K, error) {
	var zero K
	path := fs.Lookup(src.flag).Value.String()
	if path == "" {
		path = os.Getenv(src.envFile)
	}
	if path != "" {
		return src.load(path)
	}
	if v := os.Getenv(src.envHex); v != "" {
		return src.parseHex(v)
	}
	dsn := dsnOf(fs)
	if !strings.HasPrefix(dsn, "sqlite:") {
		return zero, usageErr(src.pgMissing)
	}
	path = strings.TrimPrefix(dsn, "sqlite:") + src.suffix
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if !create {
			return zero, usageErr("找不到" + src.name + "：" + path + " 不存在；请用 --" + src.flag + " 指定启动服务时使用的密钥文件")
		}
		return src.create(path)
	}
	return src.load(path)
}

// dataKeys is the SM4 key that seals personal data at rest.
var dataKeys = keySource[*crypt.SM4GCM]{
	name: "数据密钥", flag: "data-key-file", envFile: "GENGXIN_DATA_KEY_FILE", envHex: "GENGXIN_DATA_KEY", suffix: ".datakey",
	pgMissing: "使用 PostgreSQL 时必须提供数据密钥（SM4，保存在数据库之外）：--data-key-file 路径，或环境变量 GENGXIN_DATA_KEY_FILE、GENGXIN_DATA_KEY（十六进制，32位）。可用 `head -c 16 /dev/urandom | xxd -p -c 32 > gengxin.datakey && chmod 600 gengxin.datakey` 生成",
	load:      crypt.LoadKeyFile, parseHex: crypt.ParseHexKey, create: crypt.CreateKeyFile,
}

// auditKeys is the HMAC-SM3 key of the audit trail.
var auditKeys = keySource[*audit.HMAC]{
	name: "审计密钥", flag: "audit-key-file", envFile: "GENGXIN_AUDIT_KEY_FILE", envHex: "GENGXIN_AUDIT_KEY", suffix: ".auditkey",
	pgMissing: "使用 PostgreSQL 时必须提供审计密钥（保存在数据库之外）：--audit-key-file 路径，或环境变量 GENGXIN_AUDIT_KEY_FILE、GENGXIN_AUDIT_KEY（十六进制，至少64位）。可用 `head -c 32 /dev/urandom | xxd -p -c 64 > gengxin.auditkey && chmod 600 gengxin.auditkey` 生成",
	load:      audit.LoadKeyFile, parseHex: audit.ParseHexKey, create: audit.CreateKeyFile,
}

// dataKey returns the data key of fs (created beside a SQLite database when missing).
func dataKey(fs *flag.FlagSet) (*crypt.SM4GCM, error) { return dataKeys.resolve(fs, true) }

// auditKey returns the audit key of fs; create allows making it beside a
// SQLite database (never for `audit verify`).
func auditKey(fs *flag.FlagSet, create bool) (*audit.HMAC, error) {
	return auditKeys.resolve(fs, create)
}

// newApp returns the App over db with the audit key of fs (created beside a
// SQLite database when missing).
func newApp(ctx context.Context, fs *flag.FlagSet, db *store.DB, clk gengxin.Clock, files, baseURL string, log *slog.Logger) (*app.App, error) {
	k, err := auditKey(fs, true)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, db, k, clk, files, baseURL, log)
}

func dsnOf(fs *flag.FlagSet) string {
	if v := fs.Lookup("db").Value.String(); v != "" {
		return v
	}
	if v := os.Getenv("GENGXIN_DB"); v != "" {
		return v
	}
	return "sqlite:gengxin.db"
}

// openDB parses args into fs, opens and migrates the database.
func openDB(ctx context.Context, fs *flag.FlagSet, args []string) (*store.DB, error) {
	if err := fs.Parse(args); err != nil {
		return nil, usageErr(err.Error())
	}
	kdf := fs.Lookup("password-kdf").Value.String()
	if kdf == "" {
		kdf = os.Getenv("GENGXIN_PASSWORD_KDF")
	}
	if kdf != "" {
		if !app.ValidPasswordKDF(kdf) {
			return nil, usageErr("口令摘要算法应为 pbkdf2-sha256 或 pbkdf2-sm3：" + kdf)
		}
		app.PasswordKDF = kdf
	}
	k, err := dataKey(fs)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(dsnOf(fs))
	if err != nil {
		return nil, err
	}
	db.SetSealer(k)
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("数据库迁移失败：%w", err)
	}
	return db, nil
}

func filesDir(dsn, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("GENGXIN_FILES"); v != "" {
		return v
	}
	if strings.HasPrefix(dsn, "sqlite:") {
		return strings.TrimPrefix(dsn, "sqlite:") + ".files"
	}
	return "gengxin-files"
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址")
	demoFlag := fs.Bool("demo", false, "载入演示数据并打印演示账号")
	clock := fs.String("clock", "", "系统时钟起点（RFC 3339），此后按实际时间前进")
	files := fs.String("files", "", "上传材料存放目录（不在网站目录下）")
	baseURL := fs.String("base-url", "", "对外访问地址（印在通知书上用于核验）")
	proxies := fs.String("trusted-proxies", os.Getenv("GENGXIN_TRUSTED_PROXIES"), "可信反向代理地址或地址段（逗号分隔），其 X-Forwarded-For 标明客户端地址")
	apiRate := fs.String("api-rate", cmp.Or(os.Getenv("GENGXIN_API_RATE"), strconv.Itoa(gxhttp.DefaultAPIPerMinute)), "每个客户端地址每分钟最多的 API 请求数")
	db, err := openDB(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	perMinute, err := strconv.Atoi(*apiRate)
	if err != nil || perMinute < 1 {
		return usageErr("--api-rate 应为正整数（每分钟请求数）")
	}
	var clk gengxin.Clock = gengxin.SystemClock{}
	if *clock != "" {
		t, err := time.Parse(time.RFC3339, *clock)
		if err != nil {
			return usageErr("--clock 应为 RFC 3339 时间，如 2024-09-27T10:00:00+08:00")
		}
		clk = gengxin.NewOffsetClock(t)
	}
	if *baseURL == "" {
		*baseURL = "http://" + *addr
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := newApp(ctx, fs, db, clk, filesDir(dsnOf(fs), *files), strings.TrimRight(*baseURL, "/"), log)
	if err != nil {
		return err
	}
	if *demoFlag {
		if err := a.SeedDemo(ctx, stdout); err != nil {
			return fmt.Errorf("载入演示数据失败：%w", err)
		}
	}
	srv, err := gxhttp.NewServer(a)
	if err != nil {
		return err
	}
	gxhttp.TuneRuntime()
	if srv.TrustedProxies, err = gxhttp.ParseTrustedProxies(*proxies); err != nil {
		return usageErr(err.Error())
	}
	srv.APIPerMinute = perMinute
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go sweeper(ctx, a, log)
	fmt.Fprintf(stdout, "gengxin 已启动：http://%s/ （数据库 %s，今日 %s）\n", ln.Addr(), db.Dialect, a.Today())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	case err := <-errc:
		return err
	}
}

// sweeper runs the sweep at start and then every hour (it is idempotent).
func sweeper(ctx context.Context, a *app.App, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		lines, err := a.Sweep(ctx, a.Today())
		if err != nil && ctx.Err() == nil {
			log.Error("sweep", "err", err)
		}
		for _, l := range lines {
			log.Info("sweep", "line", l.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func workdays(args []string, stdout io.Writer) error {
	if len(args) != 3 || (args[0] != "add" && args[0] != "between" && args[0] != "explain") {
		return usageErr("用法：gengxin workdays add YYYY-MM-DD N | gengxin workdays between A B")
	}
	cal := calendar.Default()
	a, err := calendar.ParseDate(args[1])
	if err != nil {
		return usageErr(err.Error())
	}
	switch args[0] {
	case "add", "explain":
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 0 || n > 100000 {
			return usageErr("N 应为0至100000的整数：" + args[2])
		}
		if args[0] == "explain" {
			tr := cal.Explain(a, n)
			for _, d := range tr.Days {
				mark := " "
				if d.Counted {
					mark = strconv.Itoa(d.Ordinal)
				}
				fmt.Fprintf(stdout, "%s\t%s\t%s\n", d.Date, mark, d.Label)
			}
			for _, s := range tr.Notices {
				fmt.Fprintln(stdout, "# "+s)
			}
		}
		fmt.Fprintln(stdout, cal.AddWorkdays(a, n))
	case "between":
		b, err := calendar.ParseDate(args[2])
		if err != nil {
			return usageErr(err.Error())
		}
		fmt.Fprintln(stdout, cal.Between(a, b))
	}
	return nil
}

func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErr("用法：gengxin user add --username U --role ROLE …（密码从标准输入读取）")
	}
	fs := flagSet("user add")
	username := fs.String("username", "", "")
	role := fs.String("role", "", "")
	district := fs.String("district", "", "")
	dept := fs.String("dept", "", "")
	org := fs.String("org", "", "")
	code := fs.String("uscc", "", "")
	name := fs.String("name", "", "")
	db, err := openDB(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer db.Close()
	pw, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	pw = strings.TrimRight(pw, "\r\n")
	if pw == "" {
		return usageErr("请从标准输入提供密码，例如：echo 'Str0ng-Passw0rd!' | gengxin user add …")
	}
	a, err := newApp(ctx, fs, db, gengxin.SystemClock{}, "", "", nil)
	if err != nil {
		return err
	}
	u, err := a.AddUser(ctx, app.NewUserInput{Username: *username, DisplayName: *name, Password: pw, Role: gengxin.Role(*role),
		District: *district, Dept: *dept, OrgName: *org, OrgUSCC: *code, RequireTOTP: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已新增用户 %s（%s）id=%d\n", u.Username, u.Role.Label(), u.ID)
	return nil
}

func sweep(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flagSet("sweep")
	at := fs.String("at", "", "日期 YYYY-MM-DD（默认今天）")
	db, err := openDB(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	day := calendar.DateIn(time.Now())
	if *at != "" {
		if day, err = calendar.ParseDate(*at); err != nil {
			return usageErr("--at " + err.Error())
		}
	}
	clk := gengxin.FixedClock{T: time.Date(day.Year, day.Month, day.Day, 0, 5, 0, 0, calendar.Beijing)}
	a, err := newApp(ctx, fs, db, clk, "", "", nil)
	if err != nil {
		return err
	}
	lines, err := a.Sweep(ctx, day)
	for _, l := range lines {
		fmt.Fprintln(stdout, l.String())
	}
	return err
}

func demo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flagSet("demo")
	n := fs.Int("projects", 0, "合成项目数")
	db, err := openDB(ctx, fs, args)
	if err != nil {
		return err
	}
	defer db.Close()
	if *n <= 0 || *n > 5_000_000 {
		return usageErr("--projects 应为1至5000000的整数")
	}
	a, err := newApp(ctx, fs, db, gengxin.SystemClock{}, "", "", nil)
	if err != nil {
		return err
	}
	return a.SeedSynthetic(ctx, *n, stdout)
}

// auditUsage is the usage of `gengxin audit`.
const auditUsage = `用法：gengxin audit verify [--db DSN] [--audit-key-file PATH] [--old-audit-key-file PATH,...]
      gengxin audit rotate [--db DSN] [--audit-key-file PATH] --new-audit-key-file PATH`

func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rotate") {
		fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	if args[0] == "rotate" {
		if err := auditRotate(ctx, args[1:], stdout); err != nil {
			fmt.Fprintln(stderr, "错误："+message(err))
			return 2
		}
		return 0
	}
	fs := flagSet("audit verify")
	oldFiles := fs.String("old-audit-key-file", "", "轮换前的审计密钥文件（多个用逗号分隔），用于校验轮换之前的记录")
	db, err := openDB(ctx, fs, args[1:])
	if err != nil {
		fmt.Fprintln(stderr, "错误："+message(err))
		return 2
	}
	defer db.Close()
	k, err := auditKey(fs, false)
	if err != nil {
		fmt.Fprintln(stderr, "错误："+message(err))
		return 2
	}
	var older []audit.Keyring
	for _, path := range strings.Split(*oldFiles, ",") {
		if path = strings.TrimSpace(path); path == "" {
			continue
		}
		ok, err := audit.LoadKeyFile(path)
		if err != nil {
			fmt.Fprintln(stderr, "错误："+message(err))
			return 2
		}
		older = append(older, ok)
	}
	n, brk, err := db.Read(ctx).VerifyChainKeys(k, older...)
	if err != nil {
		fmt.Fprintln(stderr, "错误："+err.Error())
		return 1
	}
	if brk != nil {
		fmt.Fprintf(stdout, "审计记录链被破坏：第一条异常记录 id=%d：%s（已检查 %d 条记录，密钥指纹 %s）\n", brk.EventID, brk.Reason, n, k.ID())
		return 1
	}
	fmt.Fprintf(stdout, "审计记录链完整：共 %d 条记录，HMAC-SM3 校验通过（密钥指纹 %s）\n", n, k.ID())
	total, oldest, newest, err := db.Read(ctx).EventSpan()
	if err != nil {
		fmt.Fprintln(stderr, "错误："+err.Error())
		return 1
	}
	if total > 0 {
		days := int(time.Since(oldest).Hours() / 24)
		fmt.Fprintf(stdout, "最早记录：%s（北京时间 %s，距今 %d 天）；最新记录：%s\n", oldest.UTC().Format(time.RFC3339),
			oldest.In(calendar.Beijing).Format("2006-01-02 15:04"), days, newest.UTC().Format(time.RFC3339))
		if days >= gengxin.AuditRetentionDays {
			fmt.Fprintf(stdout, "保存期：在线保存 %d 天，满足不少于 %d 天的要求（网络安全法 第二十一条）；系统从不删除审计记录\n", days, gengxin.AuditRetentionDays)
		} else {
			fmt.Fprintf(stdout, "保存期：系统运行 %d 天，尚不足 %d 天；系统从不删除审计记录，全部在线保存（网络安全法 第二十一条）\n", days, gengxin.AuditRetentionDays)
		}
	}
	return 0
}

// auditRotate hands the audit chain to a new key (created, mode 0600, when
// the file does not exist): a rotation record signed with the current key
// names both, and the chain head is re-signed with the new one. The server
// must be stopped; restart it with the new key, and keep the old key file
// for `audit verify --old-audit-key-file`.
func auditRotate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flagSet("audit rotate")
	newFile := fs.String("new-audit-key-file", "", "新的审计密钥文件（不存在则创建，权限 0600）")
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *newFile == "" { // before the database is opened (and migrated)
		return usageErr("请用 --new-audit-key-file 指定新的审计密钥文件\n" + auditUsage)
	}
	db, err := openDB(ctx, fs, fs.Args())
	if err != nil {
		return err
	}
	defer db.Close()
	cur, err := auditKey(fs, false)
	if err != nil {
		return err
	}
	if ok, err := db.Read(ctx).HeadSignedBy(cur); err != nil {
		return err
	} else if !ok {
		return usageErr("审计记录链的链头不是用此密钥签名的（密钥不对，或链头被改写），不能轮换；请先用 audit verify 查明")
	}
	var next *audit.HMAC
	if _, serr := os.Stat(*newFile); errors.Is(serr, os.ErrNotExist) {
		next, err = audit.CreateKeyFile(*newFile)
	} else {
		next, err = audit.LoadKeyFile(*newFile)
	}
	if err != nil {
		return err
	}
	db.SetKeyring(cur)
	if err := db.RotateAuditKey(ctx, "运维（gengxin audit rotate）", next); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "审计密钥已轮换：%s → %s。请用新密钥文件 %s 重新启动服务；保留原密钥文件，用于 audit verify --old-audit-key-file 校验轮换前的记录。\n", cur.ID(), next.ID(), *newFile)
	return nil
}

func calendarCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) < 2 || args[0] != "load" {
		return usageErr("用法：gengxin calendar load FILE [--db DSN]")
	}
	b, err := os.ReadFile(filepath.Clean(args[1]))
	if err != nil {
		return usageErr(err.Error())
	}
	fs := flagSet("calendar load")
	db, err := openDB(ctx, fs, args[2:])
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(ctx, fs, db, gengxin.SystemClock{}, "", "", nil)
	if err != nil {
		return err
	}
	y, err := a.LoadCalendarYear(ctx, nil, b)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已载入%d年节假日安排（%s）\n", y.Year, y.Notice)
	return nil
}

package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/emmansun/gmsm/sm3"
	_ "github.com/go-pdf/fpdf"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"
)

func main() {}

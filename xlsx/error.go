package xlsx

// FileError reports that an uploaded file cannot be used as a whole: it is not
// a readable .xlsx workbook, it is too large, or its sheet or header is wrong.
// Message is Chinese and safe to show to the user; Err, when set, is the
// underlying library error, for the log only.
//
// Errors that are not a *FileError (a failing io.Reader or io.Writer) are
// internal.
type FileError struct {
	Message string
	Err     error
}

// Error returns Message.
func (e *FileError) Error() string { return e.Message }

// Unwrap returns the underlying library error, if any.
func (e *FileError) Unwrap() error { return e.Err }

func fileError(err error, msg string) *FileError { return &FileError{Message: msg, Err: err} }

// RowError is a format problem in one cell of an import file. Row is the
// 1-based sheet row number, Column the column's title without the "*" mark
// (e.g. "资金匡算(万元)"), and Message a complete Chinese sentence naming both,
// e.g. "第5行「资金匡算(万元)」不是有效金额：abc".
type RowError struct {
	Row     int
	Column  string
	Message string
}

// Error returns Message.
func (e RowError) Error() string { return e.Message }

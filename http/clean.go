package http

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
)

// Every text that comes in — JSON bodies, form bodies, query strings and
// the text fields and file names of uploads — must be clean
// (app.CleanText: valid UTF-8, no control characters but tab and line
// breaks), whatever procedure it is for: an invisible character in a name
// or an opinion misleads whoever reads it, and PostgreSQL cannot store a
// NUL. One check here instead of one per input type.

// maxFormBytes bounds a URL-encoded form body, read before any handler
// runs (the longest form, a report of 50,000 characters, is ~450 KB
// encoded).
const maxFormBytes = 1 << 20

// uncleanJSON reports where in v (a decoded JSON body) a string is not
// clean: its JSON path ("departments[1]"), and whether there is one. The
// path is built only for the string found.
func uncleanJSON(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return uncleanJSON(v.Elem())
	case reflect.String:
		return "", !app.CleanText(v.String())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			if p, bad := uncleanJSON(v.Field(i)); bad {
				switch {
				case f.Anonymous && tag == "": // its fields are the parent's
					return p, true
				case tag == "":
					tag = f.Name
				}
				return joinPath(tag, p), true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "", false // []byte is base64 in JSON; RawMessage is decoded where it is used
		}
		for i := 0; i < v.Len(); i++ {
			if p, bad := uncleanJSON(v.Index(i)); bad {
				return "[" + strconv.Itoa(i) + "]" + dotted(p), true
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if k.Kind() == reflect.String && !app.CleanText(k.String()) {
				return k.String(), true
			}
			if p, bad := uncleanJSON(v.MapIndex(k)); bad {
				return joinPath(k.String(), p), true
			}
		}
	}
	return "", false
}

func joinPath(name, rest string) string {
	if rest == "" || strings.HasPrefix(rest, "[") {
		return name + rest
	}
	return name + "." + rest
}

func dotted(rest string) string {
	if rest == "" || strings.HasPrefix(rest, "[") {
		return rest
	}
	return "." + rest
}

// uncleanErr is the answer to a text that is not clean, naming where.
func uncleanErr(field string) error {
	return &gengxin.Error{Code: gengxin.EInvalid, Message: "输入含有不可见的控制字符或无效编码：" + field,
		Details: []gengxin.ErrorDetail{{Field: field, Message: "含有不可见的控制字符或无效编码，请删除后重新输入"}}}
}

// cleanValues checks form or query values, names and values, in name order.
func cleanValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !app.CleanText(k) {
			return uncleanErr("字段名")
		}
		for _, v := range vs[k] {
			if !app.CleanText(v) {
				return uncleanErr(k)
			}
		}
	}
	return nil
}

// cleanRequest checks the query string of every request and the body of a
// URL-encoded form (parsing it, at most maxFormBytes: 413 beyond). Handlers
// read the parsed form as before (r.FormValue). Multipart bodies are left
// to their handlers, which limit their size before reading them
// (formFile checks their text).
func cleanRequest(w http.ResponseWriter, r *http.Request) error {
	q, _ := url.ParseQuery(r.URL.RawQuery) // what parses is what handlers see
	if err := cleanValues(q); err != nil {
		return err
	}
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return gengxin.Errorf(gengxin.ETooLarge, "表单内容超过 %d KB", maxFormBytes>>10)
		}
		return gengxin.Errorf(gengxin.EInvalid, "表单无法解析：%s", err.Error())
	}
	return cleanValues(r.PostForm)
}

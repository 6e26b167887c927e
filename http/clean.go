package http

import (
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
)

// Every text that comes in — JSON bodies and submitted forms — must be
// clean (app.CleanText: valid UTF-8, no control characters but tab and
// line breaks), whatever procedure it is for: an invisible character in a
// name or an opinion misleads whoever reads it, and PostgreSQL cannot
// store a NUL. One check here instead of one per input type.

// uncleanJSON returns the JSON path of the first string in v that is not
// clean ("" when all are).
func uncleanJSON(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return uncleanJSON(v.Elem(), path)
	case reflect.String:
		if !app.CleanText(v.String()) {
			return path
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = "" // embedded: its fields are the parent's
			}
			if p := uncleanJSON(v.Field(i), joinPath(path, name)); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return "" // []byte is base64 in JSON
		}
		for i := 0; i < v.Len(); i++ {
			if p := uncleanJSON(v.Index(i), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if k.Kind() == reflect.String && !app.CleanText(k.String()) {
				return joinPath(path, k.String())
			}
			if p := uncleanJSON(v.MapIndex(k), joinPath(path, k.String())); p != "" {
				return p
			}
		}
	}
	return ""
}

func joinPath(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	}
	return path + "." + name
}

// uncleanErr is the answer to a text that is not clean, naming where.
func uncleanErr(field string) error {
	return &gengxin.Error{Code: gengxin.EInvalid, Message: "输入含有不可见的控制字符或无效编码：" + field,
		Details: []gengxin.ErrorDetail{{Field: field, Message: "含有不可见的控制字符或无效编码，请删除后重新输入"}}}
}

// cleanForm checks the fields of a URL-encoded form body (parsing it). It
// leaves multipart bodies to their handlers (uploads limit their size
// before they are read).
func cleanForm(r *http.Request) error {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return gengxin.Errorf(gengxin.EInvalid, "表单无法解析：%s", err.Error())
	}
	names := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !app.CleanText(k) {
			return uncleanErr("表单字段名")
		}
		for _, v := range r.PostForm[k] {
			if !app.CleanText(v) {
				return uncleanErr(k)
			}
		}
	}
	return nil
}

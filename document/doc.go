// Package document renders official notices (文书) of the Beijing Urban
// Renewal Information System as PDF: the 入库通知书, the 补正材料告知书 and
// every other notice that shares the formal layout of a government document
// (红头, 文号, 标题, 主送, 正文, 落款, and a footer with the 验证码 that lets a
// recipient check the notice online).
//
// It depends on github.com/go-pdf/fpdf and embeds WenQuanYi Micro Hei
// (fonts/README.md). fpdf's MultiCell drops a Chinese character at each
// automatic line break, so every line is wrapped here by Wrap, which follows
// the Chinese line-breaking rules, and printed on its own.
package document

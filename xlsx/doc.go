// Package xlsx reads and writes the Excel workbooks (.xlsx) of gengxin: the
// import of already-approved projects into the reserve library (储备项目库)
// by a district industry department (区级行业主管部门), 京建法〔2024〕2号 第十一条,
// and the generic export used by every list in the system.
//
// The package works at the level of the file format only: it finds the sheet
// and its header, converts Excel date serials and money cells, trims text and
// reports per-row format problems in Chinese. Domain checks (district names,
// the 统一社会信用代码 check digit, categories, duplicates against the
// database) are the caller's.
//
// Writing uses excelize's StreamWriter; reading uses the streaming Rows()
// iterator with raw cell values, and converts date serials itself so that the
// result never depends on a cell's display format.
package xlsx

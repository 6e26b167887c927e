package http

import (
	"net/http"

	"gengxin/rules"
)

type apiOp struct {
	method, path, summary, tag string
	auth                       bool
	body                       string // schema name of the JSON body, "" for none
	ok                         int
}

// apiOps documents every API route (kept beside routes.go; a test checks
// that each /api route is documented).
var apiOps = []apiOp{
	{"POST", "/api/v1/login", "登录，返回 Bearer 令牌", "认证", false, "Login", 200},
	{"POST", "/api/v1/logout", "退出（服务器端结束会话）", "认证", true, "", 200},
	{"GET", "/api/v1/me", "当前用户", "认证", true, "", 200},
	{"GET", "/api/v1/projects", "项目列表与中文子串搜索（参数 district、status、category、q、library、overdue、plan_year、page、per_page）", "项目", true, "", 200},
	{"POST", "/api/v1/projects", "申报主体创建申报草稿", "项目", true, "ProjectInput", 201},
	{"GET", "/api/v1/projects.xlsx", "导出项目清单（Excel，参数同列表）", "项目", true, "", 200},
	{"GET", "/api/v1/projects/{id}", "项目详情：时限、事件、审查意见、补正告知、材料、可办理事项、规则检查", "项目", true, "", 200},
	{"PUT", "/api/v1/projects/{id}", "修改草稿或待补正项目的申报信息", "项目", true, "ProjectInput", 200},
	{"POST", "/api/v1/projects/{id}/actions/{action}", "办理程序步骤：submit、open-review、opinion、request-correction、resubmit、admit、reject、promote、plan、plan-done、complete、exit、record", "办理", true, "ActionInput", 200},
	{"POST", "/api/v1/projects/{id}/attachments", "上传申报材料（multipart 字段 file、kind；按内容识别类型）", "材料", true, "", 201},
	{"GET", "/api/v1/projects/{id}/attachments/{aid}", "下载材料（附件方式）", "材料", true, "", 200},
	{"GET", "/api/v1/projects/{id}/documents/entry-notice.pdf", "《北京市城市更新项目纳入储备项目库通知书》PDF", "文书", true, "", 200},
	{"GET", "/api/v1/projects/{id}/documents/corrections/{seq}", "第 seq 次《补正材料告知书》PDF", "文书", true, "", 200},
	{"GET", "/api/v1/projects/{id}/deadlines/{kind}", "时限逐日计算过程（kind：joint_review、entry_notice；参数 round）", "时限", true, "", 200},
	{"POST", "/api/v1/import", "区级行业主管部门直接导入已审核确认项目（multipart 字段 file，.xlsx；第十一条）", "导入", true, "", 200},
	{"GET", "/api/v1/import/template.xlsx", "导入模板", "导入", true, "", 200},
	{"GET", "/api/v1/notifications", "站内消息", "消息", true, "", 200},
	{"GET", "/api/v1/verify/{code}", "文书验证码核验（公开）", "公开", false, "", 200},
	{"GET", "/api/v1/public/projects", "公开项目查询（仅公开字段）", "公开", false, "", 200},
	{"POST", "/api/v1/rules/eval", "规则引擎：事实进、结论出（FACTS.md）", "规则", false, "Facts", 200},
	{"GET", "/api/v1/workdays", "工作日计算（参数 date、n），含逐日过程", "日历", false, "", 200},
	{"GET", "/api/v1/old-factory", "老旧厂房改造案件清单（参数 stage；按最近到期排序）", "老旧厂房改造", true, "", 200},
	{"GET", "/api/v1/projects/{id}/old-factory", "项目的老旧厂房改造案件：阶段、路径、关键日期（含条款）、可办理事项", "老旧厂房改造", true, "", 200},
	{"POST", "/api/v1/projects/{id}/old-factory/{step}", "老旧厂房改造办理：register、requisites、plan、municipal-approval、review、agreement、permits、evaluate、recheck、land、registration；未登记建筑物（第十四条，OF-14）：buildings（实施主体填报清单）、building-investigation（区城市更新主管部门或区人民政府记录调查认定）、building-regularised（违法的完善手续）、building-publicity（不违法的在门户公示）、building-appraisal（实施主体记录房屋质量安全鉴定）（规自67号 第六条至第二十七条；不符合规则时 422 并注明条款，details 逐项列明）", "老旧厂房改造", true, "OldFactoryInput", 200},
	{"GET", "/api/v1/projects/{id}/old-factory/agreement.pdf", "履约监管协议 PDF（编号、验证码）", "老旧厂房改造", true, "", 200},
	{"GET", "/api/v1/projects/{id}/old-factory/evaluations/{seq}", "第 seq 次评估报告 PDF（编号、验证码）", "老旧厂房改造", true, "", 200},
	{"GET", "/api/v1/old-factory/inventory", "老旧厂房摸底清单及按区汇总（经信14号 三(一)）", "老旧厂房改造", true, "", 200},
	{"POST", "/api/v1/old-factory/inventory", "产权单位上报厂房（按 OF-01 核验定义）", "老旧厂房改造", true, "", 201},
	{"POST", "/api/v1/old-factory/inventory/{cid}/review", "区级确认是否纳入清单（decision：listed、not_listed；note）", "老旧厂房改造", true, "", 200},
	{"GET", "/api/v1/old-factory/inventory.xlsx", "导出老旧厂房摸底清单", "老旧厂房改造", true, "", 200},
	{"GET", "/api/v1/audit", "审计记录查询（仅审计管理员；参数 from、to、user、action、project、result、page）", "审计", true, "", 200},
	{"POST", "/api/v1/green/preview", "绿色低碳奖励：申报前测算上限（经信20号）", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/applications", "奖励申请列表（申报主体看本单位，市经济和信息化局看全部）", "绿色低碳奖励", true, "", 200},
	{"POST", "/api/v1/green/applications", "提交奖励申请", "绿色低碳奖励", true, "", 201},
	{"GET", "/api/v1/green/applications/{id}", "奖励申请详情", "绿色低碳奖励", true, "", 200},
	{"POST", "/api/v1/green/applications/{id}/approve", "核定奖励金额（不超过上限及跨申请限额）", "绿色低碳奖励", true, "", 200},
	{"POST", "/api/v1/green/applications/{id}/refuse", "不予奖励（须说明理由）", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/applications/{id}/notice.pdf", "奖励通知书 PDF", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/lists", "绿色制造等名单", "绿色低碳奖励", true, "", 200},
	{"POST", "/api/v1/green/lists/import", "导入名单（.xlsx）", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/lists/template.xlsx", "名单导入模板", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/summary", "奖励汇总（按措施、年度、区）", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/summary.xlsx", "奖励汇总导出", "绿色低碳奖励", true, "", 200},
	{"GET", "/api/v1/green/awards", "已核定奖励公开名单", "公开", false, "", 200},
	{"GET", "/api/v1/experts", "专家库（市住房城乡建设委看全部，推荐部门看本部门推荐，区城市更新主管部门看本区专家委员会；参数 status、field、missing_report、committee=municipal|区名）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts", "推荐专家（市级行业主管部门；京建法〔2024〕3号 第三、五条）；区城市更新主管部门登记本区专家委员会专家（第三条，EX-07）", "专家委员会", true, "ExpertInput", 201},
	{"GET", "/api/v1/experts.xlsx", "导出专家名单（Excel，不含联系电话和身份证号）", "专家委员会", true, "", 200},
	{"GET", "/api/v1/experts/me", "专家本人的档案", "专家委员会", true, "", 200},
	{"GET", "/api/v1/experts/{id}", "专家档案：聘书与任期、年龄核对、本年度专项报告", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/{id}/vet", "推荐部门审核 {approve, note}（第十三条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/{id}/appoint", "聘任并颁发聘书 {justification}（第五、六条；超龄须书面理由）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/{id}/reappoint", "续聘 {justification}（第六条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/{id}/exit", "退出决定 {ground:1|2, reason, recommender_opinion}（第十二条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/{id}/link", "关联专家账户 {username}", "专家委员会", true, "", 200},
	{"GET", "/api/v1/experts/{id}/certificates/{seq}", "第 seq 届聘书 PDF（验证码可在 /verify 核验）", "专家委员会", true, "", 200},
	{"GET", "/api/v1/experts/meetings", "集体会议纪要（第九条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/meetings", "记录集体会议 {held_on, title, attendees, minutes}", "专家委员会", true, "", 201},
	{"GET", "/api/v1/experts/reports", "专项报告（参数 year）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/reports", "专家提交专项报告 {year, title, body}（第八条(三)）", "专家委员会", true, "", 201},
	{"GET", "/api/v1/experts/consultations", "专家咨询事项（使用单位看本单位，专家看被抽取的）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations", "发起咨询及专家使用方案（第九条）；committee=区名时只从本区专家委员会抽取（区城市更新主管部门，第三条）", "专家委员会", true, "ConsultationInput", 201},
	{"GET", "/api/v1/experts/consultations.xlsx", "导出专家咨询清单（抽取的专家、回避、咨询服务费、排除记录）", "专家委员会", true, "", 200},
	{"GET", "/api/v1/experts/consultations/{id}", "咨询事项：抽取记录（种子、候选名单、排除理由）、专家与意见", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations/{id}/draw", "随机抽取专家（可复现，自动回避第十条情形）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations/{id}/assignments/{aid}/recuse", "专家申请回避 {ground:1..4, reason}（第十条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations/{id}/assignments/{aid}/opinion", "专家提交独立意见 {opinion}（第七条(三)）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations/{id}/assignments/{aid}/require-recusal", "使用单位要求专家回避 {ground:1..4, reason}（第八条(二)、第十条）", "专家委员会", true, "", 200},
	{"POST", "/api/v1/experts/consultations/{id}/assignments/{aid}/fee", "登记咨询服务费 {fee_wan, note}（第七条(一)）", "专家委员会", true, "", 200},
	{"GET", "/api/v1/public/publications", "公告与公示列表（公开；参数 kind=announcement|publicity、status=upcoming|open|closed、district），含剩余天数与附件", "公开", false, "", 200},
	{"GET", "/api/v1/public/publications/{id}", "公告或公示详情及已答复的公众意见（不含个人信息）", "公开", false, "", 200},
	{"POST", "/api/v1/public/publications/{id}/comments", "公示期间提交公众意见 {body, name?, contact?}（姓名、联系方式加密保存、不公开；按来源地址限频）", "公开", false, "Comment", 201},
	{"GET", "/api/v1/publications/{id}/comments", "发布区城市更新主管部门查看全部意见（含联系方式）", "公告公示", true, "", 200},
	{"POST", "/api/v1/publications/{id}/comments/{cid}/response", "答复公众意见 {response}，答复与意见一并公开（设为不予公开的除外）", "公告公示", true, "", 200},
	{"POST", "/api/v1/publications/{id}/comments/{cid}/moderation", "审核公众意见 {moderation: published|hidden}：审核公开后才在公示页面显示", "公告公示", true, "", 200},
	{"GET", "/api/v1/coordinator/units", "实施单元列表（本区；申报主体看开放比选及本单位相关单元）", "统筹主体", true, "", 200},
	{"POST", "/api/v1/coordinator/units", "区人民政府划定实施单元 {name, scope, basis, projects, conditions, sensitive}（建法1号 第二、五条）", "统筹主体", true, "UnitInput", 201},
	{"GET", "/api/v1/coordinator/units/{id}", "实施单元详情：确定程序、申报、评分、公告公示、统筹主体", "统筹主体", true, "", 200},
	{"POST", "/api/v1/coordinator/units/{id}/actions/{action}", "办理：conditions、method、announce、apply、score、decide、confirm（公示期满后，第七条第三款）、request（统筹主体申请延期）、extend、refuse（不予延期）、cancel、agreement", "统筹主体", true, "CoordinatorInput", 200},
	{"GET", "/api/v1/coordinator/coordinators/{id}/confirmation.pdf", "统筹主体确认文件 PDF（可在 /verify 核验）", "统筹主体", true, "", 200},
	{"GET", "/api/v1/coordinator/lookup", "统筹主体信息查询（参数 q：名称或统一社会信用代码；建法1号 第十一条第一款）", "统筹主体", true, "", 200},
	{"POST", "/api/v1/coordinator/units/{id}/applications/{aid}/files", "上传统筹主体申报材料（multipart 字段 file；按内容识别类型；申报截止前；第七条第一款）", "统筹主体", true, "", 201},
	{"GET", "/api/v1/coordinator/units/{id}/files/{fid}", "下载申报材料（申报企业本身、区级部门、市住房城乡建设委）", "统筹主体", true, "", 200},
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	paths := map[string]map[string]any{}
	for _, op := range apiOps {
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		o := map[string]any{
			"summary": op.summary, "tags": []string{op.tag},
			"responses": map[string]any{
				itoa3(op.ok): map[string]any{"description": "成功"},
				"400":        ref("错误的输入"), "401": ref("未登录"), "403": ref("无权办理"), "404": ref("不存在或不可见（其他区、其他单位的项目同样返回404）"),
				"409": ref("状态不允许或并发冲突"), "422": ref("规则不允许（正文给出规则编号与条款）"),
			},
		}
		if op.auth {
			o["security"] = []map[string][]string{{"bearer": {}}}
		}
		if op.body != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/" + op.body}}}}
		}
		paths[op.path][lower(op.method)] = o
	}
	str := map[string]string{"type": "string"}
	boolean := map[string]string{"type": "boolean"}
	integer := map[string]string{"type": "integer"}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "北京市城市更新信息系统 API（gengxin）", "version": "1.0",
			"description": "依据京建法〔2024〕2号等文件办理城市更新项目库业务。错误统一为 {\"error\":{\"code\",\"message\",\"rule\",\"citation\",\"details\"}}；未知字段视为错误。需登录的 POST 可带请求头 Idempotency-Key（1至255个可打印 ASCII 字符，按用户区分，保留24小时）：同一键、同一请求再次发送时返回首次的状态码和响应体（响应头 Idempotent-Replayed: true），不再执行；同一键用于不同的请求方法、地址或请求体时返回 422；首次请求仍在处理中时返回 409。409、429 和 5xx 响应不保存，可用同一键重试。"},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]string{"type": "http", "scheme": "bearer"}},
			"responses":       map[string]any{},
			"schemas": map[string]any{
				"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
					"code":    map[string]any{"type": "string", "enum": []string{"invalid", "unauthorized", "forbidden", "not_found", "conflict", "rule_refused", "too_large", "rate_limited", "internal"}},
					"message": str, "rule": str, "citation": str, "details": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"field": str, "rule": str, "citation": str, "message": str}}}}}}},
				"Login": map[string]any{"type": "object", "required": []string{"username", "password"}, "properties": map[string]any{"username": str, "password": str, "totp": str}},
				"ProjectInput": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"name", "category", "district"}, "properties": map[string]any{
					"name": str, "category": map[string]any{"type": "string", "enum": []string{"居住类", "产业类", "设施类", "公共空间类", "区域综合性"}},
					"district": str, "street": str, "address": str, "goal": str, "fund_estimate_wan": map[string]any{"type": "string", "description": "万元，精确小数字符串"},
					"land_area_m2": str, "building_area_m2": str, "entity_name": str, "entity_uscc": map[string]any{"type": "string", "description": "统一社会信用代码（GB 32100-2015 校验位）"},
					"entity_role": map[string]any{"type": "string", "enum": []string{"实施主体", "统筹主体"}}, "contact": str, "major": boolean, "cross_district": boolean, "complies_with_plans": boolean}},
				"ActionInput": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
					"departments": map[string]any{"type": "array", "items": str}, "verdict": map[string]any{"type": "string", "enum": []string{"approve", "reject", "correct"}},
					"text": str, "items": map[string]any{"type": "array", "items": str}, "reason": str, "district": str, "industry_dept": str,
					"confirmation_document": str, "planning_and_use_clear": boolean, "industry_dept_certified": boolean,
					"year": integer, "expected_start_year": integer, "stable_funding": boolean, "complies_with_plans": boolean, "needs_implementation_plan": boolean,
					"on": map[string]any{"type": "string", "format": "date"}, "ground": integer, "kind": str, "override_reason": str}},
				"OldFactoryInput": map[string]any{"type": "object", "description": "每个办理事项读取各自的字段：register（facts 即 FACTS.md old_factory 一节、materials、owner、justifications）、requisites（requisites、approve_warnings）、plan（plan）、municipal-approval（doc_no、on）、review（verdict pass|revise、opinion、participants）、agreement（agreement：no、implementer、owner、items 七项、prohibitions change_use|sublet|split_sale、breach_handling）、permits（permits）、evaluate（dimensions、passed、problems、summary、rectify_by、on）、recheck（passed、summary）、land（early、passed、supply、summary）、registration（无）",
					"properties": map[string]any{"facts": map[string]any{"type": "object"}, "materials": map[string]any{"type": "object"}, "owner": str,
						"justifications": map[string]any{"type": "object", "additionalProperties": str}, "requisites": map[string]any{"type": "object"}, "approve_warnings": boolean,
						"plan": map[string]any{"type": "object"}, "doc_no": str, "on": map[string]any{"type": "string", "format": "date"}, "verdict": str, "opinion": str,
						"participants": map[string]any{"type": "array", "items": str}, "agreement": map[string]any{"type": "object"}, "permits": map[string]any{"type": "object"},
						"dimensions": map[string]any{"type": "object", "additionalProperties": str}, "passed": boolean, "problems": map[string]any{"type": "array", "items": str},
						"summary": str, "rectify_by": map[string]any{"type": "string", "format": "date"}, "early": boolean, "supply": str}},
				"Comment": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"body"}, "properties": map[string]any{"body": str, "name": str, "contact": str}},
				"UnitInput": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"name", "scope", "basis"}, "properties": map[string]any{
					"name": str, "scope": str, "basis": str, "projects": str, "conditions": str, "sensitive": map[string]any{"type": "string", "enum": []string{"", "涉密", "紧急救援"}}}},
				"CoordinatorInput": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
					"conditions": str, "method": map[string]any{"type": "string", "enum": []string{"公开比选", "指定", "招标", "涉密", "紧急救援"}}, "basis": str,
					"criteria":    map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"name": str, "max": str}}},
					"apply_until": map[string]any{"type": "string", "format": "date"}, "text": str, "statement": str, "application_id": integer,
					"scorer": str, "scorer_kind": map[string]any{"type": "string", "enum": []string{"专家", "部门"}}, "scores": map[string]any{"type": "object", "additionalProperties": str},
					"name": str, "uscc": str, "record": str, "functions": map[string]any{"type": "array", "items": integer}, "other_function": str,
					"term_years": integer, "justification": str, "approver": str, "months": integer, "applied_on": map[string]any{"type": "string", "format": "date"},
					"ground": integer, "reason": str, "evaluation": str, "liquidation_wan": str, "signed_on": map[string]any{"type": "string", "format": "date"}}},
				"Facts": map[string]any{"type": "object", "description": "见 spec/FACTS.md：library、old_factory、coordinator、expert、green_award、compute_center 各节"},
				"ExpertInput": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"name", "gender", "birth_date", "employer", "title", "fields", "phone"}, "properties": map[string]any{
					"name": str, "gender": map[string]any{"type": "string", "enum": []string{"男", "女"}}, "birth_date": map[string]any{"type": "string", "format": "date"},
					"employer": str, "title": str, "fields": map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": rules.ExpertFields}},
					"recommender": str, "academician": boolean, "shortage_field": boolean, "phone": str, "id_number": str,
					"relatives": map[string]any{"type": "array", "items": str}, "interest_units": map[string]any{"type": "array", "items": str}, "admin_units": map[string]any{"type": "array", "items": str}}},
				"ConsultationInput": map[string]any{"type": "object", "additionalProperties": false, "required": []string{"subject", "kind", "fields", "experts_needed", "undertaking_unit", "leader"}, "properties": map[string]any{
					"subject": str, "kind": map[string]any{"type": "string", "enum": []string{"project", "plan", "policy"}}, "project_id": integer,
					"fields": map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": rules.ExpertFields}}, "experts_needed": integer,
					"undertaking_unit": str, "leader": str, "participants": map[string]any{"type": "array", "items": str}, "cooperating_units": map[string]any{"type": "array", "items": str},
					"exclude_employers": map[string]any{"type": "array", "items": str}, "conditions": str}},
			},
		},
	}
	writeJSON(w, http.StatusOK, doc)
}

func ref(desc string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/Error"}}}}
}

func itoa3(n int) string {
	return string(rune('0'+n/100)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// APIOp describes one documented API route (for tests).
type APIOp struct {
	Method, Path string
	Auth         bool
}

// APIOps returns the documented API routes.
func APIOps() []APIOp {
	out := make([]APIOp, len(apiOps))
	for i, o := range apiOps {
		out[i] = APIOp{o.method, o.path, o.auth}
	}
	return out
}

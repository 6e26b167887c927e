-- 005: green low-carbon awards (issue 6, 京经信发〔2024〕20号).
-- Money is stored as exact decimal text in 万元 (DECISIONS D18); dates as
-- YYYY-MM-DD text (NULL when absent).

-- The reference lists the 市经济和信息化局 maintains (三(三)): listed green
-- units, 能效/水效领跑者, 环保绩效 A/B/绩效引领型, each with its dates.
CREATE TABLE green_list_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  uscc TEXT NOT NULL DEFAULT '',
  listed_on TEXT NOT NULL,
  delisted_on TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (kind, uscc, name, listed_on)
);
CREATE INDEX green_list_uscc ON green_list_entries(uscc);
CREATE INDEX green_list_name ON green_list_entries(name);

-- One application under one measure; facts is the rules.GreenAwardFacts
-- JSON the cap was computed from, detail the figures that are not facts
-- (reports, loan contract, the enterprises and parks diagnosed).
CREATE TABLE green_applications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id BIGINT NOT NULL,
  enterprise TEXT NOT NULL,
  uscc TEXT NOT NULL,
  project_name TEXT NOT NULL,
  project_key TEXT NOT NULL,
  district TEXT NOT NULL,
  measure TEXT NOT NULL,
  year INTEGER NOT NULL,
  facts TEXT NOT NULL,
  detail TEXT NOT NULL,
  listed BOOLEAN NOT NULL DEFAULT FALSE,
  listed_note TEXT NOT NULL DEFAULT '',
  cap_wan TEXT NOT NULL,
  cap_rule TEXT NOT NULL,
  cap_citation TEXT NOT NULL,
  findings TEXT NOT NULL,
  status TEXT NOT NULL,
  applied_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_wan TEXT NOT NULL DEFAULT '',
  decided_on TEXT,
  decided_by TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  notice_no TEXT NOT NULL DEFAULT '',
  notice_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX green_applications_org ON green_applications(org_id, id);
CREATE INDEX green_applications_status ON green_applications(status, id);

-- 一(二): one diagnosis reward per enterprise or park served; a row per
-- served unit of an approved diagnosis award (key: 信用代码, else name).
CREATE TABLE green_served (
  served_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  application_id BIGINT NOT NULL
);

-- Running totals of approved money per limit (项目 3000万元; 企业年度贴息
-- 1000万元). The approval locks its row (SELECT … FOR UPDATE on PostgreSQL;
-- SQLite serialises writers), so concurrent approvals cannot pass a limit.
CREATE TABLE green_limits (
  key TEXT PRIMARY KEY,
  used_wan TEXT NOT NULL
);

-- 007: the public portal (公告/公示 with public comments and responses) and
-- the coordinator entities of 京建法〔2024〕1号 (实施单元, 统筹主体确定, 确认文件).
-- Dates are YYYY-MM-DD text; instants RFC 3339 text; money decimal text in
-- 万元 (DECISIONS D18). Personal data of commenters (name, contact) is
-- sealed with the data key like project contacts.

-- A publication (公告 announcement / 公示 publicity) of any procedure; the
-- period is computed by the calling procedure and stored with its citation.
CREATE TABLE publications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  district TEXT NOT NULL DEFAULT '',
  issuer TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source_id BIGINT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  citation TEXT NOT NULL,
  period_note TEXT NOT NULL DEFAULT '',
  documents TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX publications_starts ON publications(starts_on, id);
CREATE INDEX publications_source ON publications(source_kind, source_id);

CREATE TABLE publication_comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  publication_id BIGINT NOT NULL REFERENCES publications(id),
  name TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  response TEXT NOT NULL DEFAULT '',
  responded_at TEXT NOT NULL DEFAULT '',
  responded_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_comments_pub ON publication_comments(publication_id, id);

-- 实施单元 (第二条) with its 基本条件 (第五条); sensitive marks the
-- 第六条第三款 units (涉密/紧急救援), which are never published.
CREATE TABLE impl_units (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  district TEXT NOT NULL,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  basis TEXT NOT NULL,
  projects TEXT NOT NULL DEFAULT '',
  conditions TEXT NOT NULL DEFAULT '',
  sensitive TEXT NOT NULL DEFAULT '',
  created_on TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX impl_units_district ON impl_units(district, id);

-- One selection of a coordinator for a unit (第六条、第七条).
CREATE TABLE coordinator_selections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unit_id BIGINT NOT NULL REFERENCES impl_units(id),
  district TEXT NOT NULL,
  method TEXT NOT NULL,
  method_basis TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  criteria TEXT NOT NULL DEFAULT '[]',
  apply_until TEXT,
  announcement_id BIGINT NOT NULL DEFAULT 0,
  chosen_name TEXT NOT NULL DEFAULT '',
  chosen_uscc TEXT NOT NULL DEFAULT '',
  chosen_org_id BIGINT NOT NULL DEFAULT 0,
  chosen_application_id BIGINT NOT NULL DEFAULT 0,
  decision_record TEXT NOT NULL DEFAULT '',
  decided_on TEXT,
  publicity_id BIGINT NOT NULL DEFAULT 0,
  publicity_start TEXT,
  publicity_end TEXT,
  created_on TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX coordinator_selections_unit ON coordinator_selections(unit_id, id);

CREATE TABLE coordinator_applications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  selection_id BIGINT NOT NULL REFERENCES coordinator_selections(id),
  org_id BIGINT NOT NULL,
  org_name TEXT NOT NULL,
  uscc TEXT NOT NULL,
  statement TEXT NOT NULL,
  applied_on TEXT NOT NULL,
  UNIQUE (selection_id, org_id)
);

-- Scores of the 综合评估 by experts or departments, per announced criterion.
CREATE TABLE coordinator_scores (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id BIGINT NOT NULL REFERENCES coordinator_applications(id),
  scorer TEXT NOT NULL,
  scorer_kind TEXT NOT NULL,
  criterion TEXT NOT NULL,
  score TEXT NOT NULL,
  recorded_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (application_id, scorer, criterion)
);

-- 统筹主体 with its 确认文件 (第八条), term (第十一条), extensions (JSON list)
-- and the pending extension request of the coordinator (JSON, '' = none),
-- cancellation (第十二条) and, as 实施主体, the 权益分配 agreement (第九条).
CREATE TABLE coordinators (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unit_id BIGINT NOT NULL REFERENCES impl_units(id),
  selection_id BIGINT NOT NULL,
  district TEXT NOT NULL,
  name TEXT NOT NULL,
  uscc TEXT NOT NULL,
  org_id BIGINT NOT NULL DEFAULT 0,
  functions TEXT NOT NULL,
  other_function TEXT NOT NULL DEFAULT '',
  term_years INTEGER NOT NULL,
  term_note TEXT NOT NULL DEFAULT '',
  confirmed_on TEXT NOT NULL,
  term_end TEXT NOT NULL,
  doc_no TEXT NOT NULL,
  doc_code TEXT NOT NULL,
  extensions TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  cancel_ground INTEGER NOT NULL DEFAULT 0,
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancel_evaluation TEXT NOT NULL DEFAULT '',
  liquidation_wan TEXT NOT NULL DEFAULT '',
  cancelled_on TEXT,
  agreement TEXT NOT NULL DEFAULT '',
  agreement_on TEXT,
  extension_request TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coordinators_unit ON coordinators(unit_id, id);
CREATE INDEX coordinators_uscc ON coordinators(uscc);

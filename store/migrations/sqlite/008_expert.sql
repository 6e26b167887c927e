-- 008: the expert committee of 京建法〔2024〕3号 (issue 5). Lists are JSON
-- arrays of text; dates YYYY-MM-DD text (NULL when absent); the phone and
-- the ID number are sealed (SM4-GCM) like the project contact.

-- The registry (第二、五、十三条): one row per nominated expert.
CREATE TABLE experts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  employer TEXT NOT NULL,
  title TEXT NOT NULL,
  fields TEXT NOT NULL,
  recommender TEXT NOT NULL,
  academician BOOLEAN NOT NULL DEFAULT FALSE,
  shortage BOOLEAN NOT NULL DEFAULT FALSE,
  phone TEXT NOT NULL DEFAULT '',
  id_number TEXT NOT NULL DEFAULT '',
  relatives TEXT NOT NULL DEFAULT '[]',
  interests TEXT NOT NULL DEFAULT '[]',
  admin_units TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  applied_on TEXT NOT NULL,
  nominated_by TEXT NOT NULL,
  vetted_on TEXT,
  vetted_by TEXT NOT NULL DEFAULT '',
  vet_note TEXT NOT NULL DEFAULT '',
  user_id BIGINT NOT NULL DEFAULT 0,
  exit_ground INTEGER NOT NULL DEFAULT 0,
  exit_reason TEXT NOT NULL DEFAULT '',
  exit_opinion TEXT NOT NULL DEFAULT '',
  exit_employer_notice TEXT NOT NULL DEFAULT '',
  exited_on TEXT,
  exited_by TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE INDEX experts_status ON experts(status, id);
CREATE INDEX experts_user ON experts(user_id);

-- 聘书 (第六条): one row per term; seq 1 is the first appointment, later
-- rows are re-appointments (连聘). age_outcome/justification record the
-- EX-01 finding and the written reason when it warned (D16).
CREATE TABLE expert_terms (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  expert_id BIGINT NOT NULL REFERENCES experts(id),
  seq INTEGER NOT NULL,
  appointed_on TEXT NOT NULL,
  term_end TEXT NOT NULL,
  cert_no TEXT NOT NULL,
  cert_code TEXT NOT NULL,
  age_outcome TEXT NOT NULL,
  justification TEXT NOT NULL DEFAULT '',
  issued_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (expert_id, seq)
);

-- 专家委员会集体会议 (第八条(三)、第九条) with minutes.
CREATE TABLE expert_meetings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  held_on TEXT NOT NULL,
  title TEXT NOT NULL,
  attendees TEXT NOT NULL,
  minutes TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- A consultation (咨询) with its 专家使用方案 (第九条) and recusal
-- conditions (第十条).
CREATE TABLE expert_consultations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subject TEXT NOT NULL,
  kind TEXT NOT NULL,
  project_id BIGINT NOT NULL DEFAULT 0,
  using_unit TEXT NOT NULL,
  using_role TEXT NOT NULL,
  using_dept TEXT NOT NULL DEFAULT '',
  using_district TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL,
  experts_needed INTEGER NOT NULL,
  undertaking TEXT NOT NULL,
  leader TEXT NOT NULL,
  participants TEXT NOT NULL DEFAULT '[]',
  cooperating TEXT NOT NULL DEFAULT '[]',
  exclude_employers TEXT NOT NULL DEFAULT '[]',
  conditions TEXT NOT NULL DEFAULT '',
  opened_on TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Each random draw: the seed, the ordered pool it drew from, the experts
-- picked and those excluded with ground and citation, so that the draw can
-- be replayed (same seed and pool give the same experts).
CREATE TABLE expert_draws (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id BIGINT NOT NULL REFERENCES expert_consultations(id),
  round INTEGER NOT NULL,
  seed TEXT NOT NULL,
  wanted INTEGER NOT NULL,
  pool TEXT NOT NULL,
  picked TEXT NOT NULL,
  excluded TEXT NOT NULL,
  drawn_on TEXT NOT NULL,
  drawn_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (consultation_id, round)
);

-- An expert drawn for a consultation: recusal (第十条), opinion (第七条(三)),
-- fee (第七条(一)).
CREATE TABLE expert_assignments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id BIGINT NOT NULL REFERENCES expert_consultations(id),
  expert_id BIGINT NOT NULL REFERENCES experts(id),
  round INTEGER NOT NULL,
  field TEXT NOT NULL,
  status TEXT NOT NULL,
  recusal_ground TEXT NOT NULL DEFAULT '',
  recusal_reason TEXT NOT NULL DEFAULT '',
  recused_on TEXT,
  opinion TEXT NOT NULL DEFAULT '',
  opinion_at TEXT NOT NULL DEFAULT '',
  fee_wan TEXT NOT NULL DEFAULT '',
  fee_note TEXT NOT NULL DEFAULT '',
  UNIQUE (consultation_id, expert_id)
);
CREATE INDEX expert_assignments_expert ON expert_assignments(expert_id, id);

-- 专项报告 (第四条(四)、第八条(三)): at least one per expert per year.
CREATE TABLE expert_reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  expert_id BIGINT NOT NULL REFERENCES experts(id),
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  submitted_on TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX expert_reports_year ON expert_reports(year, expert_id);

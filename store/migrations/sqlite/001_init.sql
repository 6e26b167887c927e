-- 001_init: organisations, users, sessions, projects and their record.
CREATE TABLE orgs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  uscc TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  district TEXT NOT NULL DEFAULT '',
  dept TEXT NOT NULL DEFAULT '',
  org_id INTEGER REFERENCES orgs(id),
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  district TEXT NOT NULL,
  street TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  goal TEXT NOT NULL DEFAULT '',
  fund_estimate_wan TEXT NOT NULL DEFAULT '',
  land_area_m2 TEXT NOT NULL DEFAULT '',
  building_area_m2 TEXT NOT NULL DEFAULT '',
  entity_name TEXT NOT NULL DEFAULT '',
  entity_uscc TEXT NOT NULL DEFAULT '',
  entity_role TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  major BOOLEAN NOT NULL DEFAULT FALSE,
  cross_district BOOLEAN NOT NULL DEFAULT FALSE,
  complies_with_plans BOOLEAN NOT NULL DEFAULT FALSE,
  org_id INTEGER REFERENCES orgs(id),
  source TEXT NOT NULL,
  external_ref TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  submitted_at TEXT NOT NULL DEFAULT '',
  received_on TEXT,
  review_round INTEGER NOT NULL DEFAULT 0,
  invited TEXT NOT NULL DEFAULT '',
  notice_no TEXT NOT NULL DEFAULT '',
  notice_on TEXT,
  notice_code TEXT NOT NULL DEFAULT '',
  admitted_on TEXT,
  industry_dept TEXT NOT NULL DEFAULT '',
  confirmation_doc TEXT NOT NULL DEFAULT '',
  promoted_on TEXT,
  plan_year INTEGER NOT NULL DEFAULT 0,
  plan_included_on TEXT,
  expected_start_year INTEGER NOT NULL DEFAULT 0,
  needs_impl_plan BOOLEAN NOT NULL DEFAULT TRUE,
  impl_plan_done_on TEXT,
  completion_on TEXT,
  exit_ground INTEGER NOT NULL DEFAULT 0,
  exit_on TEXT,
  exit_reason TEXT NOT NULL DEFAULT '',
  reject_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX projects_district_status ON projects(district, status, id);
CREATE INDEX projects_status ON projects(status, id);
CREATE INDEX projects_org ON projects(org_id, id);
CREATE INDEX projects_category ON projects(category, id);
CREATE UNIQUE INDEX projects_import ON projects(district, external_ref) WHERE external_ref <> '';

CREATE VIRTUAL TABLE project_fts USING fts5(name, address, entity_name, content='projects', content_rowid='id', tokenize='trigram');
CREATE TRIGGER projects_ai AFTER INSERT ON projects BEGIN
  INSERT INTO project_fts(rowid, name, address, entity_name) VALUES (new.id, new.name, new.address, new.entity_name);
END;
CREATE TRIGGER projects_ad AFTER DELETE ON projects BEGIN
  INSERT INTO project_fts(project_fts, rowid, name, address, entity_name) VALUES ('delete', old.id, old.name, old.address, old.entity_name);
END;
CREATE TRIGGER projects_au AFTER UPDATE OF name, address, entity_name ON projects
  WHEN old.name IS NOT new.name OR old.address IS NOT new.address OR old.entity_name IS NOT new.entity_name BEGIN
  INSERT INTO project_fts(project_fts, rowid, name, address, entity_name) VALUES ('delete', old.id, old.name, old.address, old.entity_name);
  INSERT INTO project_fts(rowid, name, address, entity_name) VALUES (new.id, new.name, new.address, new.entity_name);
END;

CREATE TABLE deadlines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,
  round INTEGER NOT NULL,
  start_on TEXT NOT NULL,
  amount INTEGER NOT NULL,
  unit TEXT NOT NULL,
  due_on TEXT NOT NULL,
  citation TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_on TEXT,
  provisional BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX deadlines_project ON deadlines(project_id, id);
CREATE INDEX deadlines_open ON deadlines(status, due_on);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL,
  actor_id INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  citation TEXT NOT NULL DEFAULT '',
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_project ON events(project_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE opinions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  round INTEGER NOT NULL,
  dept TEXT NOT NULL,
  verdict TEXT NOT NULL,
  text TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (project_id, round, dept)
);

CREATE TABLE corrections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  seq INTEGER NOT NULL,
  number TEXT NOT NULL,
  items TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  issued_on TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  resolved_on TEXT,
  verify_code TEXT NOT NULL,
  UNIQUE (project_id, seq)
);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  storage_name TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX attachments_project ON attachments(project_id);

CREATE TABLE records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX records_project ON records(project_id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL DEFAULT 0,
  user_id INTEGER NOT NULL DEFAULT 0,
  district TEXT NOT NULL DEFAULT '',
  dept TEXT NOT NULL DEFAULT '',
  project_id INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  citation TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  read BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX notifications_org ON notifications(org_id, id);
CREATE INDEX notifications_dept ON notifications(district, dept, id);

CREATE TABLE documents (
  code TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  project_id INTEGER NOT NULL,
  project TEXT NOT NULL,
  district TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  sha256 TEXT NOT NULL DEFAULT ''
);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  data TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL
);

CREATE TABLE chain_head (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL
);
INSERT INTO chain_head(id, hash) VALUES (1, '');

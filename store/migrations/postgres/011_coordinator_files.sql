-- 011: the materials of a coordinator application (京建法〔2024〕1号 第七条第一款:
-- candidates apply with their materials). Files are stored outside the web
-- root under random names, like project materials.
CREATE TABLE coordinator_application_files (
  id BIGSERIAL PRIMARY KEY,
  application_id BIGINT NOT NULL REFERENCES coordinator_applications(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  storage_name TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX coordinator_application_files_app ON coordinator_application_files(application_id, id);

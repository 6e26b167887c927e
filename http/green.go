package http

// greenRoutes registers the green low-carbon award pages and API (issue 6).
func (s *Server) greenRoutes() {}

package emulator

import (
	"encoding/json"
	"net/http"
)

// statsPath serves the call counts of Stats as a JSON object, so that a
// benchmark driving the standalone emulator can count the API calls a
// Terraform run makes. It is emulator-only: the real service has no such path.
// It reveals no data, only how many times each action was called.
const statsPath = "/emulator/stats"

func (s *Server) serveStats(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.Stats())
}

package emulator

import (
	"encoding/json"
	"net/http"
)

// statsPath serves the call counts of Stats as a JSON object, so that a
// benchmark driving the standalone emulator can count the API calls a
// Terraform run makes. It is emulator-only: the real service has no such path.
// It reveals no data, only how many times each action was called and, under
// SignatureStat keys, how many authenticated calls each signature algorithm
// signed.
const statsPath = "/emulator/stats"

// SignatureStat is the Stats key that counts the API calls signed with
// algorithm (mpaas.AlgorithmV3 or mpaas.AlgorithmV1), so that a test sees
// which signature version a client used, not only that its calls worked.
func SignatureStat(algorithm string) string { return "signature:" + algorithm }

func (s *Server) serveStats(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.Stats())
}

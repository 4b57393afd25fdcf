// A small JSON service on the standard library only (no module proxy is
// reachable here). net/http makes the build large enough for a build cache
// to matter.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
)

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--selftest" {
		rec := httptest.NewRecorder()
		health(rec, httptest.NewRequest("GET", "/health", nil))
		fmt.Print(rec.Body.String())
		return
	}
	http.HandleFunc("/health", health)
	_ = http.ListenAndServe(":8080", nil)
}

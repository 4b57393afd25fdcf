// The shop front: serves the page the front-end build wrote to web/dist
// and a small JSON API, on the standard library only (no module proxy is
// reachable here). `--selftest` starts the same handler on a loopback port,
// fetches the page and the API over HTTP and fails unless both answer.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
)

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/stock", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"apples": 12, "pears": 7})
	})
	mux.Handle("/", http.FileServer(http.Dir("web/dist")))
	return mux
}

func get(base, path string) (string, error) {
	resp, err := http.Get(base + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return string(body), err
}

func selftest() error {
	server := httptest.NewServer(routes())
	defer server.Close()
	page, err := get(server.URL, "/")
	if err != nil {
		return err
	}
	if !strings.Contains(page, "Fresh fruit, served by Go") {
		return fmt.Errorf("the page does not have its text:\n%s", page)
	}
	stock, err := get(server.URL, "/api/stock")
	if err != nil {
		return err
	}
	fmt.Print(page, stock)
	return nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--selftest" {
		if err := selftest(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	_ = http.ListenAndServe(":8080", routes())
}

// greeter: a small HTTP server for dockslim's e2e suite, installed with
// `go install` (no -o), so the binary lands in $GOPATH/bin under the
// module's last path element.
package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
)

func greet(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "world"
	}
	fmt.Fprintf(w, "hello, %s\n", name)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--selftest" {
		rec := httptest.NewRecorder()
		greet(rec, httptest.NewRequest("GET", "/docker", nil))
		if rec.Body.String() != "hello, docker\n" {
			fmt.Fprintf(os.Stderr, "unexpected body %q\n", rec.Body.String())
			os.Exit(1)
		}
		fmt.Println("selftest passed")
		return
	}
	http.HandleFunc("/", greet)
	if err := http.ListenAndServe(":8080", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

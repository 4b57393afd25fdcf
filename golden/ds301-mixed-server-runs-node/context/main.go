package main

import (
	"net/http"
	"os/exec"
)

// Pages are rendered on the server by the front end's bundle.
func render(w http.ResponseWriter, r *http.Request) {
	out, _ := exec.Command("node", "web/dist/server.js", r.URL.Path).Output()
	_, _ = w.Write(out)
}

func main() {
	http.HandleFunc("/", render)
	_ = http.ListenAndServe(":8080", nil)
}

package main

import (
	"net/http"
	"os"
)

func main() {
	http.Handle("/", http.FileServer(http.Dir(os.Getenv("STATIC_DIR"))))
	_ = http.ListenAndServe(":8080", nil)
}

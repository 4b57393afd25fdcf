package main

import (
	"embed"
	"net/http"
)

//go:embed web
var web embed.FS

func main() {
	http.Handle("/", http.FileServer(http.FS(web)))
	_ = http.ListenAndServe(":8080", nil)
}

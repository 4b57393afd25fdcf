package main

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed all:web/dist
var assets embed.FS

func main() {
	dist, _ := fs.Sub(assets, "web/dist")
	http.Handle("/", http.FileServer(http.FS(dist)))
	_ = http.ListenAndServe(":8080", nil)
}

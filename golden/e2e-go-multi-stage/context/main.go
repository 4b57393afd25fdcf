// A tiny program with no external modules.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println(strings.ToUpper("hello from go"), len(os.Args))
}

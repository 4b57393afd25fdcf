// tally prints the most frequent words of its standard input; with
// --selftest it checks itself on a known text and exits non-zero on a
// wrong count.
package main

import (
	"fmt"
	"io"
	"os"

	"example.com/tally/tally"
)

const sample = "The cat saw the dog. The dog saw a bird!"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--selftest" {
		got := tally.Words(sample)
		if len(got) < 3 || got[0] != (tally.Count{Word: "the", N: 3}) ||
			got[1] != (tally.Count{Word: "dog", N: 2}) || got[2] != (tally.Count{Word: "saw", N: 2}) {
			fmt.Println("selftest failed:", got)
			os.Exit(1)
		}
		fmt.Println("selftest ok:", got[0].Word, got[0].N)
		return
	}
	text, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i, c := range tally.Words(string(text)) {
		if i == 10 {
			break
		}
		fmt.Printf("%6d %s\n", c.N, c.Word)
	}
}

// Package tally counts words, ignoring case and punctuation.
package tally

import (
	"sort"
	"strings"
	"unicode"
)

// Count is one word and how often it occurs.
type Count struct {
	Word string
	N    int
}

// Words returns the words of text by frequency, most frequent first, ties
// in alphabetical order.
func Words(text string) []Count {
	seen := map[string]int{}
	for _, word := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		seen[word]++
	}
	counts := make([]Count, 0, len(seen))
	for word, n := range seen {
		counts = append(counts, Count{word, n})
	}
	sort.Slice(counts, func(i, j int) bool {
		if counts[i].N != counts[j].N {
			return counts[i].N > counts[j].N
		}
		return counts[i].Word < counts[j].Word
	})
	return counts
}

// A program that uses cgo: a C function computes a checksum, so the binary
// links against glibc and cannot run on a static-only image.
package main

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t adler32(const char *s) {
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < strlen(s); i++) {
		a = (a + (unsigned char)s[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}
*/
import "C"

import (
	"fmt"
	"os"
	"unsafe"
)

func main() {
	text := "Wikipedia"
	if len(os.Args) > 1 {
		text = os.Args[1]
	}
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	sum := uint32(C.adler32(cs))
	fmt.Printf("adler32(%q) = %08x\n", text, sum)
	// The known value for "Wikipedia" checks that the C code ran.
	if text == "Wikipedia" && sum != 0x11e60398 {
		os.Exit(1)
	}
}

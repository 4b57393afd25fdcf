"""Uses a compiled extension module."""
import fastsum

print("2 + 3 =", fastsum.add(2, 3))

// heapdump is a C++ addon that npm compiles while installing (node-gyp with
// python3, make and g++); loading it proves the build found its toolchain.
const heapdump = require("heapdump");

if (typeof heapdump.writeSnapshot !== "function") {
  console.error("the native addon did not load");
  process.exit(1);
}
console.log("native addon loaded");

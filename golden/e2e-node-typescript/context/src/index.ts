// Compiled by `npm run build` into dist/index.js.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ms: (value: string) => number = require("ms");

export function greeting(name: string): string {
  return `hello ${name}, a week is ${ms("7 days")} ms`;
}

console.log(greeting("typescript"));

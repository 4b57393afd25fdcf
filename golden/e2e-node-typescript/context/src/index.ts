// Compiled by `npm run build` into dist/index.js.
const DAY_MS = 24 * 60 * 60 * 1000;

export function greeting(name: string, days: number): string {
  return `hello ${name}, ${days} days are ${days * DAY_MS} ms`;
}

console.log(greeting("typescript", 7));

// Compiled by `npm run build` into dist/index.js. The greeting's wording is
// a template under views/, read at run time, as servers read their views.
declare const require: (module: string) => any;
declare const __dirname: string;
const fs = require("fs");
const path = require("path");

const DAY_MS = 24 * 60 * 60 * 1000;

export function greeting(name: string, days: number): string {
  const template: string = fs.readFileSync(
    path.join(__dirname, "..", "views", "greeting.txt"),
    "utf8"
  );
  return template
    .trim()
    .replace("{name}", name)
    .replace("{days}", String(days))
    .replace("{ms}", String(days * DAY_MS));
}

console.log(greeting("typescript", 7));

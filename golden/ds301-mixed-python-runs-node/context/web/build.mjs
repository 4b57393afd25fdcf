// The front end's build: fills the page template and writes dist/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const fruit = ["apples", "pears", "plums"];
const page = readFileSync("src/index.html", "utf8")
  .replaceAll("{{title}}", "Fresh fruit, served by Go")
  .replace("{{items}}", fruit.map((f) => `<li>${f}</li>`).join(""));
mkdirSync("dist", { recursive: true });
writeFileSync("dist/index.html", page);
console.log(`wrote dist/index.html (${page.length} bytes)`);

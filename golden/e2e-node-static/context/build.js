// Renders src/pages/*.md into one page each and writes the single-page
// shell (index.html, app.js, style.css) to build/. The client-side router in
// app.js shows /about, /notes … from the pages embedded at build time.
const fs = require("fs");
const path = require("path");
const { marked } = require("marked");

const out = path.join(__dirname, "build");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const pages = {};
for (const file of fs.readdirSync(path.join(__dirname, "src/pages")).sort()) {
  const name = path.basename(file, ".md");
  const text = fs.readFileSync(path.join(__dirname, "src/pages", file), "utf8");
  pages[name === "home" ? "/" : `/${name}`] = marked.parse(text);
}

const shell = fs.readFileSync(path.join(__dirname, "src/index.html"), "utf8");
// The home page is rendered into the shell too, so it reads without script.
fs.writeFileSync(path.join(out, "index.html"), shell.replace("<!--page-->", pages["/"]));
const app = fs.readFileSync(path.join(__dirname, "src/app.js"), "utf8");
fs.writeFileSync(path.join(out, "app.js"), `const ROUTES = ${JSON.stringify(pages)};\n${app}`);
fs.copyFileSync(path.join(__dirname, "src/style.css"), path.join(out, "style.css"));
console.log(`built ${Object.keys(pages).length} pages into build/`);

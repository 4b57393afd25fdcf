// The app's build step: copies src/ to dist/ with a banner that names the
// build, as a bundler would write its output folder.
const fs = require("fs");
const path = require("path");

fs.mkdirSync(path.join(__dirname, "dist"), { recursive: true });
for (const file of fs.readdirSync(path.join(__dirname, "src"))) {
  const text = fs.readFileSync(path.join(__dirname, "src", file), "utf8");
  fs.writeFileSync(
    path.join(__dirname, "dist", file),
    `// built from src/${file}\n${text}`
  );
}
console.log("built", fs.readdirSync(path.join(__dirname, "dist")).join(", "));

// A tiny service run as `node` from a folder it owns. The self-test checks
// what `chown -R node /usr/src/app` promised: every file and folder of the
// app (sources, node_modules) belongs to uid 1000 and keeps root's group,
// and the app can write next to its code.
const fs = require("fs");
const path = require("path");
const http = require("http");
const uptime = require("./lib/uptime");

function owners(dir, found = []) {
  const stat = fs.lstatSync(dir);
  found.push({ path: dir, uid: stat.uid, gid: stat.gid });
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(dir)) owners(path.join(dir, name), found);
  }
  return found;
}

if (process.argv.includes("--selftest")) {
  const wrong = owners(__dirname).filter((o) => o.uid !== 1000 || o.gid !== 0);
  if (wrong.length > 0) {
    for (const o of wrong) console.error(`${o.path} is owned by ${o.uid}:${o.gid}, not 1000:0`);
    process.exit(1);
  }
  if (!fs.existsSync(path.join(__dirname, "node_modules", "ms"))) {
    console.error("node_modules/ms is missing");
    process.exit(1);
  }
  fs.writeFileSync(path.join(__dirname, "last-start.txt"), new Date().toISOString());
  console.log(`${owners(__dirname).length} paths owned by 1000:0; ${uptime()}`);
  process.exit(0);
}

http.createServer((req, res) => res.end(`${uptime()}\n`)).listen(8080);

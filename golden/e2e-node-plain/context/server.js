// A tiny service: prints how long two days are, then would serve requests.
const ms = require("ms");
const http = require("http");

if (process.argv.includes("--selftest")) {
  console.log(`two days are ${ms("2 days")} ms`);
  process.exit(0);
}

http
  .createServer((req, res) => res.end(`up for ${ms(Math.round(process.uptime() * 1000))}\n`))
  .listen(3000);

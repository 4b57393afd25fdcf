// Reports how long a retention period is, with the `ms` dependency, and
// which user it runs as; a real service would then listen.
const ms = require("ms");

const days = Number(process.env.RETENTION_DAYS || 2);
console.log(`retention of ${days} days is ${ms(`${days} days`)} ms (uid ${process.getuid()})`);

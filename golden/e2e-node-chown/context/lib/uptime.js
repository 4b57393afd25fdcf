// How long the process has been up, in words.
const ms = require("ms");

module.exports = () => `up for ${ms(Math.round(process.uptime() * 1000))}`;

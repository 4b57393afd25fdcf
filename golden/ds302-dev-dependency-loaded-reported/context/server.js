const express = require("express");
// A devDependency the server loads at run time: --omit=dev would break it.
const methodOverride = require("method-override");

const app = express();
app.use(methodOverride());
app.listen(3000);

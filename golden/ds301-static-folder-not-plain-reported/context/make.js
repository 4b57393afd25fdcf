require("fs").mkdirSync("site", {recursive: true});

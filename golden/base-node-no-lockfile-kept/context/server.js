require("bcrypt");

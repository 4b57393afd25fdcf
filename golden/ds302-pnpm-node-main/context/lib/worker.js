require("pino")().info("up");

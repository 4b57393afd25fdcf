package greeter;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A small HTTP service that answers with a greeting read from its jar. */
public final class Main {
    static String greeting() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream("/greeting.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    static HttpServer serve(int port) throws IOException {
        String body = greeting();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--selftest")) {
            HttpServer server = serve(0);
            int port = server.getAddress().getPort();
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
            server.stop(0);
            if (response.statusCode() != 200 || !response.body().equals(greeting())) {
                System.err.println("selftest failed: " + response.statusCode() + " " + response.body());
                System.exit(1);
            }
            System.out.println("selftest ok: " + response.body());
            return;
        }
        serve(8080);
        System.out.println("listening on 8080");
    }
}

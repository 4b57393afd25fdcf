from flask import Flask, jsonify

app = Flask(__name__, static_folder="web/dist", static_url_path="")


@app.get("/api/ping")
def ping():
    return jsonify(ok=True)


@app.get("/")
def index():
    return app.send_static_file("index.html")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)


@app.get("/render")
def render():
    import subprocess
    return subprocess.run(["node", "web/dist/ssr.js"], capture_output=True).stdout

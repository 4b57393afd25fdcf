"""Prints what BuildKit's own parser (PyPI `dockerfile`, bindings to the Go
parser) finds in each Dockerfile given on the command line, as JSON lines.

Used by tests/parity.rs as the reference for what a Dockerfile means.
"""
import json
import sys

import dockerfile

for path in sys.argv[1:]:
    record = {"path": path}
    try:
        commands = dockerfile.parse_file(path)
        record["commands"] = [
            {
                "cmd": c.cmd,
                "sub_cmd": c.sub_cmd,
                "json": c.json,
                "start_line": c.start_line,
                "end_line": c.end_line,
                "flags": list(c.flags),
                "value": list(c.value),
                "heredocs": len(c.heredocs),
            }
            for c in commands
        ]
    except dockerfile.GoParseError as error:
        record["error"] = str(error)
    print(json.dumps(record))

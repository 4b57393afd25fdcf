"""Validates a JSON document (read from standard input) against a JSON schema
file. Used by tests/schemas.rs for the SARIF and the dockslim report output.

    python validate_json.py SCHEMA.json < document.json
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
document = json.load(sys.stdin)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors[:20]:
    print(f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}", file=sys.stderr)
sys.exit(1 if errors else 0)

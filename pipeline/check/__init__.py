"""The check: schemas and rules over the repository -> Diagnostics, the severity layer between rules
and reporters, and the scope of a change for `check --changed-since`."""

"""`python -m pipeline.cli`: the same as the `gongkai` command."""
from pipeline.cli import run

run()

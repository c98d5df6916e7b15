"""`python -m pipeline.cli`: the same as the `gongkai` command."""
import sys

from . import main

sys.exit(main())

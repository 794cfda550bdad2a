"""``python -m casebook generate|index``: the steps before and after the engine (casebook/cli.py)."""
import sys

from .cli import main

sys.exit(main())

"""``python -m casebook.search SITE_DIR``: index a built site (see :func:`casebook.search.index.main`)."""
import sys

from .index import main

sys.exit(main(sys.argv[1:]))

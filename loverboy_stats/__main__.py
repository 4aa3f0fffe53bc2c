"""``python -m loverboy_stats``: see :mod:`loverboy_stats.cli`."""

import sys

from loverboy_stats.cli import main

if __name__ == "__main__":
    sys.exit(main())

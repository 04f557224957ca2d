"""``python -m lin_cli`` is the ``lin`` command."""

import sys

from .main import main

# Guarded: processes that multiprocessing spawns import the main module.
if __name__ == "__main__":
    sys.exit(main())

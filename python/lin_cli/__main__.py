"""``python -m lin_cli`` is the ``lin`` command."""

import sys

from .main import main

sys.exit(main())

"""``python -m cluster_desk``: the same as the ``cluster-desk`` command."""

import sys

from cluster_desk.cli import main

sys.exit(main())

"""``python -m cluster_desk``: the same as the ``cluster-desk`` command."""

import sys

from cluster_desk.cli import leave_now, main

code = main()
if "cluster_desk.ui.report_pdf" in sys.modules:  # a PDF passport printed: no slow Qt WebEngine shutdown
    sys.modules["cluster_desk.ui.report_pdf"].leave_now(code or 0)
leave_now(code)  # (check, plan: no teardown of a million members' objects)
sys.exit(code)

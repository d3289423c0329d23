import sys

from nexus_lint.cli import main

sys.exit(main())

import sys

from impactcircle.cli import main

sys.exit(main())

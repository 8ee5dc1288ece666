"""`python -m generator` is the same command as `interlude`."""

import sys

from generator.cli import main

sys.exit(main())

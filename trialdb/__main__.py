import sys

from trialdb.cli import main

sys.exit(main())

import sys

from seedkit.cli import main

sys.exit(main())

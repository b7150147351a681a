import sys

from chainkg.cli import main

sys.exit(main())

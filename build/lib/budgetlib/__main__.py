import sys

from budgetlib.cli import main

sys.exit(main())

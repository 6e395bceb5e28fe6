"""`python -m eval …` takes the arguments of `sporbar eval …`: the retrieval benchmark."""

import sys

from eval.cli import main

sys.exit(main())

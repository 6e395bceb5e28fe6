"""`python -m eval …` is `sporbar eval …`: the retrieval benchmark."""

import sys

from api.cli import main

sys.exit(main(["eval", *sys.argv[1:]]))

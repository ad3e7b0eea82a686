"""`python -m pipeline.cli`: the same command line as `newspipe`."""
from pipeline.cli import main

main()

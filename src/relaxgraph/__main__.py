"""``python -m relaxgraph`` runs the command line."""

from relaxgraph.cli import main

if __name__ == "__main__":
    main()

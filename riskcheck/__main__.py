"""Entry point for ``python -m riskcheck``."""

from riskcheck.cli import main

if __name__ == "__main__":
    main()

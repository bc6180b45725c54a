"""``python -m sim`` is the same as the ``citypeace`` command."""

from sim.cli.main import command

if __name__ == "__main__":
    command()

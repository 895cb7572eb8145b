"""pmweek: a product manager's week in the terminal."""

__version__ = "0.1.0"

"""bantin: the content pipeline of a district newsroom (gather, normalise, publish, voice bulletins)."""

__version__ = "0.1.0"

"""Gongkai: the publishing pipeline behind the 云江市 city portal."""

__version__ = "0.1.0"

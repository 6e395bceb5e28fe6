"""One parser per source format; each returns a `ParsedDocument` of blocks in reading order."""

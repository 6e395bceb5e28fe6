"""Index: the transactional record of documents and passages, vectors and lexical search."""

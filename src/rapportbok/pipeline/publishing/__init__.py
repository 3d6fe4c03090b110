"""Publishing a book: the generated pages, the year's Sphinx configuration, provenance, the search index,
locks, atomic releases and the notes on what is published."""

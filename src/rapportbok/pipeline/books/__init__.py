"""Many books in one run (side by side on an executor such as Dask) and the site of every book."""

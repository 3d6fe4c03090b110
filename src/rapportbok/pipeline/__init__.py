"""Turning the data into published books: one run of one book (run.py), its steps (steps/), and the drivers
that run them (book.py: `rapportbok build`; preview/; books/: many books and the site)."""

"""What a book is made from: fingerprints, the snapshot of the inputs, the shared data lock while reading,
the chapter cache, the table of contents."""

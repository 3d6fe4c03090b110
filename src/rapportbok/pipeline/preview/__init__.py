"""`rapportbok preview`: the builder (the build's steps without the PDF and publishing), the server and its
pages."""

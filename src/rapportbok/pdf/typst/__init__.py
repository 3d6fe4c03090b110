"""The print edition set with Typst (issue 27): the print document
(chapters after `reflow_for_print`, cover and colophon from the metadata) as Typst source
(`document`), compiled to a tagged PDF/UA-1 file with fonts from a pinned package (`writer`)."""

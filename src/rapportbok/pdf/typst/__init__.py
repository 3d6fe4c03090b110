"""The print edition set with Typst, beside the WeasyPrint one (issue 27): the same print document
(chapters after `reflow_for_print`, cover and colophon from the metadata) as Typst source
(`document`), compiled to a tagged PDF/UA-1 file with fonts from a pinned package (`writer`)."""

"""The steps of a book's run, in order, each a function of the `BookRun` (pipeline/run.py): snapshot
(`BookRun.capture`) → compare with the published release (`published`) → validate (`validate`) → execute
the stale chapters (`chapters`) → write the Sphinx source, the generated pages and the configuration,
and build the HTML (`sources`) → the PDF (`pdf`) → verify the snapshot (`chapters`) → publish
(`published`); `cleanup` removes what a run leaves behind. `rapportbok build`, the preview, many books
and the site are drivers of these steps."""

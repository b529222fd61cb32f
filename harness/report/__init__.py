"""Reports of a finished run: report.json, junit.xml, report.html and the console summary.

Pure writers: they take a :class:`~harness.report.model.FinishedRun` and write files or text."""

"""Unit-test results in: run each configured command (``{junit}`` filled in) or read existing
JUnit files by glob. The adapter between harness.yml's ``unit_tests`` and the JUnit reader."""

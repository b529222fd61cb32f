"""The ``covers`` marker: writes the features a unit test covers into its JUnit properties."""

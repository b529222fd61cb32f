"""pytest adapters: each module is one plugin, loaded by ``harness.pytest_plugin``."""

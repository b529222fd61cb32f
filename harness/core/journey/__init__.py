"""The journey language: its JSON Schema (``schema``), the typed model a runner executes
(``model``, ``actions``, ``locators``) and the loader that checks files before anything runs
(``loader``, ``checks``)."""

"""The generated leak matrix (issue 14). A package, so that its conftest does not shadow tests/conftest.py."""

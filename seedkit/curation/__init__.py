"""Stage 01: curation of code, commits and code web pages."""

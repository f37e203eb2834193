"""The web shell: templates, translations, CSRF, errors and request dependencies."""

"""Server-rendered pages: languages (web.i18n) and the public patient search (web.patients)."""

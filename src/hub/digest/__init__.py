"""The twice-monthly newsletter: issues derived from content, as web pages, e-mail and .eml files.

periods (the cadence) → issue (what an issue carries) → render (HTML and text e-mail) and
mail (.eml, test sends) → outputs (the site's archive). `newsletter.prepare(site)` is the
entry point for the build and the CLI alike.
"""

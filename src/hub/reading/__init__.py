"""From files to validated content: front matter, the loader, docs/ pages and the links that may be followed."""

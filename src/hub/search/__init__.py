"""The site search: the index a browser downloads, and its writer that runs beside the build."""

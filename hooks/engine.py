"""MkDocs hook: hands every build event to the hub engine's MkDocs adapter."""

from hub.build.mkdocs_adapter import HubPlugin

_hub = HubPlugin()

on_startup = _hub.on_startup
on_config = _hub.on_config
on_serve = _hub.on_serve
on_files = _hub.on_files
on_nav = _hub.on_nav
on_env = _hub.on_env
on_page_markdown = _hub.on_page_markdown
on_page_content = _hub.on_page_content
on_page_context = _hub.on_page_context
on_post_page = _hub.on_post_page
on_post_template = _hub.on_post_template
on_post_build = _hub.on_post_build
on_build_error = _hub.on_build_error
on_shutdown = _hub.on_shutdown

"""Generating the whole site's outputs from validated content, the way Pelican's generators do.

Each collection generates its own pages (its declaration may name a generator of its
own); site-wide generators (feeds, the digest) run after them over all content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hub.collection import Collection
from hub.cms import cms_files
from hub.feeds import feed_files
from hub.collections import COLLECTIONS
from hub.digest.outputs import newsletter_outputs
from hub.pages import Output, Site, collection_pages
from hub.publishing import publishing_files

SiteGenerator = Callable[[Site], Iterable[Output]]

# Site-wide generators, in order.
SITE_GENERATORS: list[SiteGenerator] = [publishing_files, cms_files, feed_files, newsletter_outputs]


def generate(site: Site, collections: dict[str, Collection] = COLLECTIONS,
             generators: list[SiteGenerator] = SITE_GENERATORS) -> list[Output]:
    outputs: list[Output] = []
    for collection in collections.values():
        outputs += (collection.generate or collection_pages)(collection, site)
    for generator in generators:
        outputs += generator(site)
    _refuse_clashes(outputs)
    return outputs


def _refuse_clashes(outputs: list[Output]) -> None:
    seen: set[str] = set()
    for output in outputs:
        if output.src_uri in seen:
            raise ValueError(f"two generators write {output.src_uri}")
        seen.add(output.src_uri)

"""Who an entry names: a registered group (登録団体) by its id, or a name as written.

A case's partners, an event's organisers, a talent's affiliations and a recruitment's group
may write `group: <id>`, the file name of the group's entry under content/groups/. The
group's entry then says everything about it once: its name, which every page that names
it shows (renaming the group renames it everywhere), and its page, which they link to.
Who is not registered is written as before: `name:` and an optional `url:`.

The check that an id names a published group, and the resolution (the group's name and
website filled in, its page set), happen after every collection is loaded
(hub.reading.references): ids are known only then.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel, Field, PrivateAttr, model_validator

from hub.core.collection import Entry, kept_with_entry
from hub.core.content import Content
from hub.core.fields import HubModel, Text, WebUrl, hub_error
from hub.core.walking import fields_that_may_hold

GROUPS = "groups"  # the collection of registered groups
KeyPath = tuple[str | int, ...]  # where in an entry's front matter: ("partners", 0, "group")


@dataclass(frozen=True)
class EntryRef:
    """Marks a field whose value is the slug of an entry of `collection` (the editing UI offers
    a choice of those entries by name)."""

    collection: str


GROUP_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def _group_id(value: str) -> str:
    """A registered group is named by its file name under content/groups/."""
    if not GROUP_ID.fullmatch(value):
        raise hub_error("group_id", f"「{value}」は登録団体の id として読めません",
                        "登録団体のファイル名（content/groups/<id>.md の <id>）を半角英小文字・数字・ハイフンで"
                        "書いてください。登録団体でなければ name: や organizer: に団体名を書いてください")
    return value


GroupId = Annotated[Text, AfterValidator(_group_id), EntryRef(GROUPS)]


def group_entry(content: Content, group: str) -> Entry:
    """The published entry of a group that a checked reference names (hub.reading.references)."""
    return next(entry for entry in content[GROUPS] if entry.slug == group)


class NamedParty(HubModel):
    """An organisation by name alone, as settings name one (`extra.hub.events.organizer`)."""

    name: Text
    url: WebUrl | None = None

    @property
    def page(self) -> str | None:
        return None


class Party(HubModel):
    """A registered group (`group:`) or an organisation named as written (`name:`, `url:`)."""

    group: GroupId | None = Field(default=None, title="登録団体",
                                  description="センターに登録している団体なら、その団体を選びます（名前とページは団体の記事から）")
    name: Text | None = Field(default=None, title="名前", description="登録団体でないときに、団体・組織の名前を書きます")
    url: WebUrl | None = Field(default=None, title="ウェブサイト")
    _page: str | None = PrivateAttr(default=None)

    @property
    def page(self) -> str | None:
        """The group's page (a site path, `groups/<id>/`) once resolved; pages link it before `url`."""
        return self._page

    def resolved(self, name: str, website: str | None, page: str) -> "Party":
        """This party as pages show it: the group's current name, website and page."""
        found = self.model_copy(update={"name": name, "url": website})
        found._page = page
        return found

    @model_validator(mode="after")
    def _group_or_name(self) -> "Party":
        if (self.group is None) == (self.name is None):
            raise hub_error("party_group_or_name", "group: と name: のどちらか一方だけを書いてください",
                            "登録団体なら group: 団体のファイル名、そうでなければ name: 団体の名前")
        if self.group is not None and self.url is not None:
            raise hub_error("party_group_url", "登録団体のウェブサイトは団体の記事に書きます",
                            "url: の行を削除し、団体の記事（content/groups/）の website: に書いてください")
        return self


@dataclasses.dataclass(frozen=True)
class Reference:
    """One `group: <id>` in one entry, at a key path of its front matter."""

    entry: Entry
    loc: KeyPath
    group: str


def group_references(content: Content) -> Iterator[Reference]:
    for listed in content.entries.values():
        for entry in listed:
            for loc, group in entry_group_ids(entry):
                yield Reference(entry, loc, group)


def entries_naming(content: Content) -> dict[str, dict[str, list[Entry]]]:
    """group id → collection → the entries that name the group, in the collection's own order."""
    found: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for name, listed in content.entries.items():
        for entry in listed:
            for group in dict.fromkeys(group for _, group in entry_group_ids(entry)):
                found[group][name].append(entry)
    return found


@kept_with_entry
def entry_group_ids(entry: Entry) -> tuple[tuple[KeyPath, str], ...]:
    """An entry's `group_ids`: every build looks for them in every entry, twice."""
    return tuple(group_ids(entry.meta))


def group_ids(value: Any, loc: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(key path, id) of every group named in a front matter value: a party's `group:` or a
    field that holds a group's id itself (a recruitment's `group:`). Only models, lists and
    tuples are descended into: most values are plain strings."""
    if isinstance(value, BaseModel):
        for name in _group_id_fields(type(value)):
            found = getattr(value, name)
            if found is not None:
                yield (*loc, name), found
        children: Iterable[tuple[str | int, Any]] = ((name, getattr(value, name))
                                                      for name in fields_that_may_hold(type(value), (BaseModel,)))
    elif isinstance(value, (list, tuple)):
        children = enumerate(value)
    else:
        return
    for key, child in children:
        if isinstance(child, (BaseModel, list, tuple)):
            yield from group_ids(child, (*loc, key))


@functools.cache
def _group_id_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose value is a group's id (marked with EntryRef(GROUPS))."""
    return tuple(name for name, info in model.model_fields.items()
                 if _names_groups(info.annotation) or any(_is_group_ref(item) for item in info.metadata))


def _is_group_ref(item: Any) -> bool:
    return isinstance(item, EntryRef) and item.collection == GROUPS


def _names_groups(annotation: Any) -> bool:
    args = get_args(annotation)
    return any(_is_group_ref(arg) for arg in args) \
        or any(_names_groups(arg) for arg in args if get_args(arg))



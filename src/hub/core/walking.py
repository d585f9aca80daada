"""Which fields of a front-matter model a walk over validated entries needs to look at.

Checks across a whole site (group references, links to the site's own pages) walk every
entry's front matter; at thousands of entries, looking at every field of every model was most
of a warm `hub check`. Most fields are dates, numbers, flags and plain text: a walk for models
need not open text, and no walk needs to open a date. The answer comes from each field's
declared type, once per model class; a type this cannot read counts as "may hold anything".
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel


@functools.cache
def fields_that_may_hold(model: type[BaseModel], wanted: tuple[type, ...]) -> tuple[str, ...]:
    """`model`'s fields, in order, whose declared type may hold a value of a `wanted` type at any depth."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold(info.annotation, wanted))


def _may_hold(annotation: Any, wanted: tuple[type, ...]) -> bool:
    if annotation is Any:  # a class since Python 3.11, and a subclass of nothing
        return True
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _may_hold(args[0], wanted)
    if origin is Literal:
        return any(isinstance(value, wanted) for value in args)
    if args:  # a union or a container: what it may hold is what its arguments may
        return any(_may_hold(arg, wanted) for arg in args if arg is not Ellipsis)
    if isinstance(annotation, type) and origin is None:
        return issubclass(annotation, wanted) or any(issubclass(kind, annotation) for kind in wanted)
    return True  # Any, a type variable, a bare container, something unforeseen

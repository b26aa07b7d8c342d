"""The rules model rebuilt from a dump the model validated before, without validating again.

``followup plan`` takes a rules file it has read before from the cache folder
(``engine.rules_cache``). Validating that dump would build the core schema of every
model in ``rules.model`` (pydantic compiles it when a model is first used; the models
defer it), which costs more than reading, planning and writing the example calendar.
``rebuilt`` instead walks the models' field types and sets the values the dump holds,
converting as the validators would (an amount of time and a time of day through the
same parse functions, a nested model as a model, a list or tuple item by item), with
the keys the file set as each model's ``model_fields_set``.

It trusts its input: a dump is only kept when ``rebuilt`` gives back a model equal to
the validated one, with the same keys set at every level (``same_as``), and a kept dump
carries a digest that a damaged entry fails. A field type the walk cannot tell apart
(a union of two kinds of the same JSON shape) raises TypeError, and that dump is not kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, TypeGuard, TypeVar, Union, cast, get_args, get_origin

from pydantic import BaseModel, BeforeValidator

M = TypeVar("M", bound=BaseModel)


def rebuilt(model: type[M], data: object) -> M:
    """``model`` holding ``data``, a dump (JSON, by alias, only the keys set) that
    ``model.model_validate`` accepted."""
    if not isinstance(data, dict):
        raise TypeError(f"{model.__name__}: expected a mapping, got {type(data).__name__}")
    values: dict[str, Any] = {}
    given: set[str] = set()
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in data:
            kind = (
                Annotated[(field.annotation, *field.metadata)]
                if field.metadata
                else field.annotation
            )
            values[name] = _value(kind, data[key])
            given.add(name)
        elif _is_model(field.default_factory):
            values[name] = rebuilt(field.default_factory, {})  # as the factory, unvalidated
        elif field.default_factory is not None:
            # The models' factories take no argument (pydantic's get_default would inspect
            # each one's signature to find out, at every call).
            values[name] = cast(Callable[[], Any], field.default_factory)()
        elif not field.is_required():
            values[name] = copy.deepcopy(field.default)  # as pydantic copies a default
        else:
            raise TypeError(f"{model.__name__}: {key!r} is required")
    unknown = set(data) - {field.alias or name for name, field in model.model_fields.items()}
    if unknown:
        raise TypeError(f"{model.__name__}: unknown keys {sorted(unknown)}")
    return model.model_construct(_fields_set=given, **values)


def _is_model(value: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _value(kind: Any, data: Any) -> Any:
    origin = get_origin(kind)
    if origin is Annotated:
        base, *extras = get_args(kind)
        for extra in extras:
            if isinstance(extra, BeforeValidator):
                parse = cast(Callable[[Any], Any], extra.func)  # the models' take no info
                return parse(data)  # parse_offset, parse_clock: the value itself
        return _value(base, data)
    if _is_model(kind):
        return rebuilt(kind, data)
    if origin is Union or origin is UnionType:
        options = [option for option in get_args(kind) if _shape(option) == _shape_of(data)]
        if len(options) != 1:
            raise TypeError(f"{data!r} fits {len(options)} of {kind}")
        return _value(options[0], data)
    if origin is list:
        (item,) = get_args(kind)
        return [_value(item, one) for one in _sequence(data)]
    if origin is tuple:
        items = get_args(kind)
        return tuple(_value(item, one) for item, one in zip(items, _sequence(data), strict=True))
    if origin is dict:
        _, item = get_args(kind)
        if not isinstance(data, dict):
            raise TypeError(f"expected a mapping, got {data!r}")
        return {key: _value(item, one) for key, one in data.items()}
    if _shape(kind) != _shape_of(data):
        raise TypeError(f"{data!r} is not a {kind}")
    return data  # str, int, bool, a Literal's word


def _sequence(data: object) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError(f"expected a list, got {data!r}")
    return data


def _shape(kind: Any) -> str:
    """The JSON shape a value of ``kind`` is dumped as."""
    origin = get_origin(kind)
    if kind is NoneType:
        return "null"
    if origin is Annotated:
        base, *extras = get_args(kind)
        if any(isinstance(extra, BeforeValidator) for extra in extras):
            return "scalar"  # an amount of time or a time of day, written as text
        return _shape(base)
    if _is_model(kind) or origin is dict:
        return "object"
    if origin in (list, tuple):
        return "array"
    if origin is Literal or kind in (str, int, bool):
        return "scalar"
    return f"unknown {kind}"


def _shape_of(data: object) -> str:
    if data is None:
        return "null"
    if isinstance(data, dict):
        return "object"
    if isinstance(data, list):
        return "array"
    return "scalar"


def same_as(a: object, b: object) -> bool:
    """Equal, and with the same keys set in every model at every level (pydantic's ``==``
    compares the values only: a rule that does not say ``unless`` must still not)."""
    if isinstance(a, BaseModel) and isinstance(b, BaseModel):
        return (
            type(a) is type(b)
            and a == b
            and a.model_fields_set == b.model_fields_set
            and all(same_as(getattr(a, name), getattr(b, name)) for name in type(a).model_fields)
        )
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(same_as(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_as(a[key], b[key]) for key in a)
    return type(a) is type(b) and a == b

"""Every setting JobLand reads: one typed field on the resource of the system it configures.

A field made with :func:`setting` names its environment variable, its default and its meaning. From
those fields come the README's settings table (``jobland settings``), the refusal of an unknown
``JOBLAND_*`` variable (naming the closest known one: a typo must not silently fall back to a
default), and every resource built by :func:`configure`: a variable that is set becomes an
``EnvVar`` (the Dagster UI shows where the value comes from, and secrets never appear in it), an
unset one takes the field's default, with ``{home}`` standing for ``JOBLAND_HOME``.

Nothing here reads the environment at import time; ``definitions.py`` calls :func:`configure`.
"""

from __future__ import annotations

import difflib
import os
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, Union, get_args, get_origin

import dagster as dg
from pydantic import Field

from jobland_pipeline.profiles.user_settings import SettingsError

HOME = "JOBLAND_HOME"
HOME_DEFAULT = "var"
R = TypeVar("R", bound=dg.ConfigurableResource)


def setting(env: str, default: Any, help: str, *, secret: bool = False) -> Any:
    """A resource field read from ``env`` (``default`` when unset); ``help`` is its README line."""
    return Field(default=default, description=help, json_schema_extra={"env": env, "secret": secret})


@dataclass(frozen=True)
class Setting:
    env: str
    default: str  # as documented ("" = none)
    help: str
    secret: bool
    resource: str  # the resource class it configures
    field: str


def _meta(field: Any) -> dict[str, Any] | None:
    extra = field.json_schema_extra
    return extra if isinstance(extra, dict) and "env" in extra else None


def settings_of(classes: Iterable[type[dg.ConfigurableResource]]) -> list[Setting]:
    """The settings table: JOBLAND_HOME first, then every resource's fields in declaration order."""
    out = [
        Setting(HOME, HOME_DEFAULT, "Base folder for every default path below (gitignored).", False, "", "")
    ]
    seen = {HOME}
    for cls in classes:
        for name, field in cls.model_fields.items():
            if (meta := _meta(field)) is None or meta["env"] in seen:
                continue  # one variable may configure two resources (JOBLAND_SHARED_LIMITS_URL): listed once
            seen.add(meta["env"])
            default = field.default
            shown = (
                "" if default is None else str(default).lower() if isinstance(default, bool) else str(default)
            )
            out.append(
                Setting(meta["env"], shown, field.description or "", bool(meta["secret"]), cls.__name__, name)
            )
    return out


def check_environment(env: Mapping[str, str], known: Iterable[Setting]) -> None:
    """Refuse unknown JOBLAND_* variables (likely typos), naming the closest known one."""
    names = [s.env for s in known]
    for name in sorted(env):
        if name.startswith("JOBLAND_") and name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingsError(f"unknown setting {name}{hint}; see README 'Settings'")


def _plain(annotation: Any) -> Any:
    """``str | None`` -> ``str``: an optional setting is its type when set."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if get_origin(annotation) in (Union, types.UnionType) and len(args) == 1 else annotation


def _parse(raw: str, annotation: Any, env: str) -> Any:
    try:
        if annotation is bool:
            if raw.strip().lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if annotation is int:
            return int(raw)
        if annotation is float:
            return float(raw)
    except ValueError as exc:
        kind = {bool: "true or false", int: "an integer", float: "a number"}[annotation]
        raise SettingsError(f"{env}={raw!r} is not {kind}") from exc
    return raw


def configure(cls: type[R], env: Mapping[str, str] | None = None, **fixed: Any) -> R:
    """The resource with every field from its variable; ``env`` replaces the process environment (tests).

    With the real environment a set variable becomes an ``EnvVar`` (text and integers: Dagster's
    kinds); it is parsed here only to fail early, naming the variable, when it is malformed.
    """
    source = os.environ if env is None else env
    home = source.get(HOME) or HOME_DEFAULT
    values: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if name in fixed or (meta := _meta(field)) is None:
            continue
        var, raw = meta["env"], source.get(meta["env"])
        kind = _plain(field.annotation)
        if raw:
            parsed = _parse(raw, kind, var)
            if env is None and kind is str:
                parsed = dg.EnvVar(var)
            elif env is None and kind is int:
                parsed = dg.EnvVar.int(var)
            values[name] = parsed
        elif isinstance(field.default, str) and "{home}" in field.default:
            values[name] = field.default.replace("{home}", home)
    return cls(**values, **fixed)


def resolve(env: Mapping[str, str], known: Iterable[Setting]) -> dict[str, str]:
    """Every setting's effective value as text (for the CLI and the run summary)."""
    known = list(known)
    check_environment(env, known)
    home = env.get(HOME) or HOME_DEFAULT
    return {s.env: (env.get(s.env) or s.default).replace("{home}", home) for s in known}

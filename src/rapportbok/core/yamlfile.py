"""The project's own YAML files (_toc.yml, _config.yml, tillganglighet.yml), read with a located error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rapportbok.exceptions import ConfigError, Problem


def read_yaml_mapping(path: Path, shown_as: str) -> dict[str, Any]:
    """The `key: value` content of `path`; raise ConfigError naming the file (and line) otherwise."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        raise ConfigError(
            Problem(
                shown_as,
                f"filen går inte att läsa som YAML: {getattr(error, 'problem', None) or error}",
                row=None if mark is None else mark.line + 1,
                allowed="spara filen som UTF-8 och kontrollera indrag och kolon",
                code="config.yaml.invalid",
            )
        ) from error
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ConfigError(
            Problem(shown_as, "filen ska innehålla nyckel: värde-rader", code="config.yaml.not_mapping")
        )
    return content

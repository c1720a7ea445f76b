"""The citation registry: every legal label the assistant may show, with its URL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.errors import CorpusError

REGISTRY_PATH = Path(__file__).with_name("citations.yaml")


class Citation(BaseModel):
    """One citable source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    url: str
    title: str


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_PATH) -> dict[str, Citation]:
    """Load ``citations.yaml`` into a label → citation map."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = raw["citations"]
        registry = {label: Citation(label=label, **fields) for label, fields in entries.items()}
    except (OSError, KeyError, TypeError, yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(f"{path}: cannot read the citation registry: {exc}") from exc
    return registry


def unknown_labels(labels: list[str] | set[str], registry: dict[str, Citation] | None = None) -> list[str]:
    """Return the labels that are not in the registry, sorted."""
    known = registry if registry is not None else load_registry()
    return sorted({label for label in labels if label not in known})

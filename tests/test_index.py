"""Indexing skips what is unchanged and refuses what it cannot trust."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.corpus import CORPUS_DIR
from knowledge.embedding import Embedder, get_embedder
from knowledge.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from knowledge.index import build_index, open_index
from knowledge.search import Searcher

pytestmark = pytest.mark.slow
NAME = "kompas_guidance"


class _CountingEmbedder(Embedder):
    """The real model, counting how many passages it embeds."""

    def __init__(self, inner: Embedder, name: str | None = None) -> None:
        super().__init__(inner.path)
        self._model = inner.model
        self.embedded = 0
        if name:
            self.name = name

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_passages(texts)


def test_noop_rerun_embeds_nothing_and_edits_embed_only_the_change(tmp_path: Path, model_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR / "register", corpus / "register")
    embedder = _CountingEmbedder(get_embedder(model_dir))
    location = str(tmp_path / "chroma")
    first = build_index(location, NAME, embedder, corpus_root=corpus)
    assert first.embedded == first.chunks > 0

    again = build_index(location, NAME, embedder, corpus_root=corpus)
    assert (again.embedded, again.unchanged, again.deleted) == (0, first.chunks, 0)

    page = corpus / "register" / "verwerkingsregister.en.md"
    text = page.read_text()
    page.write_text(text.replace("## Everyday examples", "## Everyday examples\n\nA new line.", 1))
    edited = build_index(location, NAME, embedder, corpus_root=corpus)
    assert edited.embedded == 1

    page.write_text(text.split("## Everyday examples")[0])
    trimmed = build_index(location, NAME, embedder, corpus_root=corpus)
    assert trimmed.deleted == 2
    assert open_index(location, NAME, embedder).count() == first.chunks - 2


def test_index_built_with_another_model_is_refused(index_copy: Path, model_dir: Path) -> None:
    other = _CountingEmbedder(get_embedder(model_dir), name="all-MiniLM-L6-v2")
    with pytest.raises(IndexMismatchError, match="kompas index"):
        open_index(str(index_copy), NAME, other)


def test_missing_index_says_how_to_build_it(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(IndexMissingError, match="kompas index"):
        open_index(str(tmp_path / "nothing"), NAME, get_embedder(model_dir))


def test_corrupt_index_says_how_to_rebuild_and_rebuild_repairs(
    index_copy: Path, model_dir: Path, tmp_path: Path
) -> None:
    embedder = get_embedder(model_dir)
    (index_copy / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexCorruptError, match="kompas index --rebuild"):
        open_index(str(index_copy), NAME, embedder)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR / "register", corpus / "register")
    report = build_index(str(index_copy), NAME, embedder, corpus_root=corpus, rebuild=True)
    assert report.embedded == report.chunks
    assert open_index(str(index_copy), NAME, embedder).count() == report.chunks


def test_search_prefers_the_users_language(built_index: Path, model_dir: Path) -> None:
    embedder = get_embedder(model_dir)
    searcher = Searcher(open_index(str(built_index), NAME, embedder), embedder)
    cases = {
        "nl": "moet ik als kleine zaak een verwerkingsregister bijhouden",
        "fr": "dois-je tenir un registre des traitements pour mes clients",
        "en": "do I have to keep a record of processing for my small shop",
    }
    for lang, query in cases.items():
        hits = searcher.search(query, lang)
        assert [h.lang for h in hits] == [lang] * len(hits)
        assert hits[0].topic == "register"
        assert any("GDPR Art. 30" in s for h in hits for s in h.sources)

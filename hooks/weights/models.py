"""Model formats without a magic of their own, recognised by their
structure: Tesseract traineddata, dlib networks, NumPy arrays, TensorFlow
graphs, TF.js shards (by their manifest)."""
from __future__ import annotations

from ..tree.sample import Sample
from .evidence import Evidence


def recognise(name: str, sample: Sample) -> Evidence | None:
    return None

"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""

SHIPPED_SHA256 = "6ba6606ecbe778ceb9455f1ed0a5300afc35f1acd1d271731f33bfea8298d13f"
